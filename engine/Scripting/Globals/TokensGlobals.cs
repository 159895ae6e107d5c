using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using LowCodeTokens.Engine.Scripting.Jint;

namespace LowCodeTokens.Engine.Scripting.Globals;

/// <summary>
/// <c>tokens.expiresAt(body, { defaultSeconds, now })</c> and <c>tokens.refreshAt(issuedAtMs, expiresAtMs)</c>: the expiry
/// chain and refresh point of SPEC §4, so modules do not repeat the arithmetic; <c>tokens.event(type, details)</c> reports a
/// lifecycle event (<see cref="TokenEventGlobal"/>).
/// </summary>
internal sealed class TokensGlobals : IScriptGlobalProvider
{
    private const double DefaultLifetimeMs = 300_000;
    private const double MaxRefreshMarginMs = 60_000;

    public IEnumerable<ScriptGlobal> Shared => [new("tokens", Create)];

    private static JsValue Create(ScriptEntity entity)
    {
        var tokens = entity.NewObject();
        tokens.FastSetDataProperty("expiresAt", entity.Function("expiresAt", (_, args) => ExpiresAt(entity, Arg(args, 0), Arg(args, 1)), 2));
        tokens.FastSetDataProperty("refreshAt", entity.Function("refreshAt", (_, args) => RefreshAt(entity, Arg(args, 0), Arg(args, 1)), 2));
        tokens.FastSetDataProperty("event", entity.Function("event", (_, args) => TokenEventGlobal.Report(entity, Arg(args, 0), Arg(args, 1)), 2));
        return entity.Freeze(tokens);
    }

    private static JsValue Arg(JsValue[] args, int i) => args.Length > i ? args[i] : JsValue.Undefined;

    // expires_in, else the access token's JWT exp, else defaultSeconds, else 5 minutes; `now` defaults to the engine's clock.
    private static JsValue ExpiresAt(ScriptEntity entity, JsValue body, JsValue options)
    {
        if (body is not ObjectInstance response || body is JsArray || body.IsCallable())
        {
            var got = body.IsNull() ? "null" : (body is JsArray) ? "an array" : JwtGlobals.TypeName(body);
            throw entity.TypeError($"tokens.expiresAt: expected a token response object, got {got}");
        }
        var opts = options as ObjectInstance;
        var nowValue = opts?.Get("now") ?? JsValue.Undefined;
        var now = nowValue.IsUndefined() ? entity.Session.Time.GetUtcNow().ToUnixTimeMilliseconds() : TypeConverter.ToNumber(nowValue);
        if (!double.IsFinite(now)) throw entity.TypeError("tokens.expiresAt: options.now must be epoch milliseconds");

        if (PositiveSeconds(response.Get("expires_in")) is { } expiresIn) return now + expiresIn * 1000;
        if (response.Get("access_token") is JsString token)
        {
            try
            {
                if (JwtGlobals.ExpiresAt(entity, token) is JsNumber exp && double.IsFinite(TypeConverter.ToNumber(exp))) return exp;
            }
            catch (JavaScriptException)
            {
                // An opaque token: no exp to read.
            }
        }
        var fallback = PositiveSeconds(opts?.Get("defaultSeconds") ?? JsValue.Undefined);
        return now + (fallback is { } seconds ? seconds * 1000 : DefaultLifetimeMs);
    }

    // min(60 s, 25% of the lifetime) before expiry: a 10 s token at 7.5 s, a 1 h token 60 s early.
    private static JsValue RefreshAt(ScriptEntity entity, JsValue issuedAt, JsValue expiresAt)
    {
        var issued = TypeConverter.ToNumber(issuedAt);
        var expires = TypeConverter.ToNumber(expiresAt);
        if (!double.IsFinite(issued) || !double.IsFinite(expires))
            throw entity.TypeError("tokens.refreshAt(issuedAtMs, expiresAtMs): both must be epoch milliseconds");
        var lifetime = expires > issued ? expires - issued : 0;
        return expires - Math.Min(lifetime * 0.25, MaxRefreshMarginMs);
    }

    private static double? PositiveSeconds(JsValue value)
    {
        if ((value.IsNull() || value.IsUndefined()) || value.IsBoolean() || (value is JsString s && s.Length == 0)) return null;
        var n = TypeConverter.ToNumber(value);
        return double.IsFinite(n) && n > 0 ? n : null;
    }
}
