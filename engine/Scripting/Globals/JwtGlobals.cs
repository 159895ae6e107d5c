using Jint;
using System.Text;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using LowCodeTokens.Engine.Scripting.Jint;
using Microsoft.IdentityModel.Tokens;

namespace LowCodeTokens.Engine.Scripting.Globals;

/// <summary>
/// <c>jwt.decode(token)</c> → <c>{ header, payload }</c> and <c>jwt.expiresAt(token)</c> → epoch ms or null. Decoding only:
/// tokens are verified by the servers that accept them. A malformed token names what is wrong (segments, base64, JSON).
/// </summary>
internal sealed class JwtGlobals : IScriptGlobalProvider
{
    public IEnumerable<ScriptGlobal> Shared => [new("jwt", Create)];

    private static JsValue Create(ScriptEntity entity)
    {
        var jwt = entity.NewObject();
        jwt.FastSetDataProperty("decode", entity.Function("decode", (_, args) => Decode(entity, Arg(args)), 1));
        jwt.FastSetDataProperty("expiresAt", entity.Function("expiresAt", (_, args) => ExpiresAt(entity, Arg(args)), 1));
        return entity.Freeze(jwt);
    }

    private static JsValue Arg(JsValue[] args) => args.Length > 0 ? args[0] : JsValue.Undefined;

    public static JsObject Decode(ScriptEntity entity, JsValue token)
    {
        if (token is not JsString s || s.Length == 0)
            throw entity.TypeError($"jwt.decode: expected a token string, got {(token.IsNull() ? "null" : TypeName(token))}");
        var parts = s.ToString().Split('.');
        if (parts.Length != 3)
            throw entity.Error($"jwt.decode: expected 3 dot-separated segments (header.payload.signature), got {parts.Length}");
        var result = entity.NewObject();
        result.FastSetDataProperty("header", Segment(entity, parts[0], "header"));
        result.FastSetDataProperty("payload", Segment(entity, parts[1], "payload"));
        return result;
    }

    /// <summary>The payload's <c>exp</c> in epoch milliseconds, or null when it has none.</summary>
    public static JsValue ExpiresAt(ScriptEntity entity, JsValue token)
    {
        var payload = (ObjectInstance)Decode(entity, token).Get("payload");
        return payload.Get("exp") is JsNumber exp ? JsNumber.Create(TypeConverter.ToNumber(exp) * 1000) : JsValue.Null;
    }

    private static JsValue Segment(ScriptEntity entity, string segment, string which)
    {
        string text;
        try
        {
            // Base64url without padding (RFC 7515 §2); tolerate padding a sloppy issuer added.
            var bytes = Base64UrlEncoder.DecodeBytes(segment.TrimEnd('='));
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw entity.Error($"jwt.decode: the {which} segment is not valid base64url ({(e is DecoderFallbackException ? "invalid UTF-8" : "characters or length outside base64url")})");
        }
        JsValue value;
        try
        {
            value = entity.FromJson(text);
        }
        catch (JavaScriptException e)
        {
            throw entity.Error($"jwt.decode: the {which} segment is not JSON ({entity.MessageOf(e.Error)})");
        }
        if (value is not ObjectInstance || (value is JsArray))
            throw entity.Error($"jwt.decode: the {which} segment is not a JSON object");
        return value;
    }

    public static string TypeName(JsValue value) => value.Type switch
    {
        Types.Undefined => "undefined",
        Types.Boolean => "boolean",
        Types.Number => "number",
        Types.String => "string",
        Types.Symbol => "symbol",
        Types.BigInt => "bigint",
        _ => value.IsCallable() ? "function" : "object",
    };
}
