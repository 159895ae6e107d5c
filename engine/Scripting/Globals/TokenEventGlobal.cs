using System.Text.RegularExpressions;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using LowCodeTokens.Engine.Scripting.Jint;
using LowCodeTokens.Engine.Tokens;

namespace LowCodeTokens.Engine.Scripting.Globals;

/// <summary>
/// <c>tokens.event(type, details?)</c>: a module reports a token lifecycle event (SPEC §7) of its credential in the current
/// scope. <paramref name="details"/> may hold only <c>grant</c>, <c>expiresAt</c>, <c>refreshAt</c>, <c>nextAttemptAt</c>
/// (epoch ms), <c>failures</c>, <c>status</c> and <c>error</c>: any other field (an <c>accessToken</c>, say) is refused, so
/// that a token has nowhere to go; <c>error</c> is masked by the runtime. Part of <see cref="TokensGlobals"/>' object.
/// </summary>
internal static partial class TokenEventGlobal
{
    private const int MaxErrorLength = 500;
    private static readonly string[] Fields = ["grant", "expiresAt", "refreshAt", "nextAttemptAt", "failures", "status", "error"];

    public static JsValue Report(ScriptEntity entity, JsValue typeValue, JsValue details)
    {
        if (entity.IsPage) throw entity.TypeError("tokens.event: only modules report token events");
        if (typeValue is not JsString || !TokenEventTypes.IsKnown(typeValue.AsString()))
            throw entity.TypeError($"tokens.event: the type must be one of {string.Join(", ", TokenEventTypes.All)}");
        var type = typeValue.AsString();
        ObjectInstance? fields = null;
        if (!(details.IsUndefined() || details.IsNull()))
        {
            if (details is not ObjectInstance o || details is JsArray || details.IsCallable())
                throw entity.TypeError("tokens.event: details must be an object");
            fields = o;
            foreach (var key in o.GetOwnPropertyKeys())
            {
                var name = key.ToString();
                if (!Fields.Contains(name, StringComparer.Ordinal))
                    throw entity.TypeError($"tokens.event: unknown detail '{name}'; allowed: {string.Join(", ", Fields)} (a token never goes into an event)");
            }
        }

        var grant = Get(fields, "grant") is { } g && !g.IsUndefined() && !g.IsNull() ? g : null;
        if (grant is not null && (grant is not JsString || !GrantName().IsMatch(grant.AsString())))
            throw entity.TypeError("tokens.event: details.grant must be a grant type name (letters, digits, '_', '-', '.', ':'; at most 100)");
        var error = Get(fields, "error") is { } e && !e.IsUndefined() && !e.IsNull() ? TypeConverter.ToString(e) : null;
        if (error is { Length: > MaxErrorLength }) error = error[..MaxErrorLength] + "…";

        var reported = new ScriptTokenEvent(
            type,
            grant?.AsString(),
            Time(entity, fields, "expiresAt"),
            Time(entity, fields, "refreshAt"),
            Time(entity, fields, "nextAttemptAt"),
            Integer(entity, fields, "failures", 0, 1_000_000),
            Integer(entity, fields, "status", 100, 599),
            error);
        if (entity.Session.Calls.ReportTokenEvent(entity.Name, reported) is { } refused) throw entity.TypeError($"tokens.event: {refused}");
        return JsValue.Undefined;
    }

    private static JsValue? Get(ObjectInstance? fields, string name) => fields?.Get(name);

    private static double? Time(ScriptEntity entity, ObjectInstance? fields, string name)
    {
        var value = Get(fields, name);
        if (value is null || value.IsUndefined() || value.IsNull()) return null;
        var n = value is JsNumber ? TypeConverter.ToNumber(value) : double.NaN;
        // Years 1970 to 9999: a value outside is not epoch milliseconds.
        if (!double.IsFinite(n) || n < 0 || n > 253_402_300_799_000)
            throw entity.TypeError($"tokens.event: details.{name} must be epoch milliseconds");
        return n;
    }

    private static int? Integer(ScriptEntity entity, ObjectInstance? fields, string name, int min, int max)
    {
        var value = Get(fields, name);
        if (value is null || value.IsUndefined() || value.IsNull()) return null;
        var n = value is JsNumber ? TypeConverter.ToNumber(value) : double.NaN;
        if (!double.IsFinite(n) || n != Math.Floor(n) || n < min || n > max)
            throw entity.TypeError($"tokens.event: details.{name} must be an integer from {min} to {max}");
        return (int)n;
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,100}$")]
    private static partial Regex GrantName();
}
