using Jint;
using System.Text;
using Jint.Native;
using Jint.Runtime;
using LowCodeTokens.Engine.Scripting.Jint;

namespace LowCodeTokens.Engine.Scripting.Globals;

/// <summary>
/// <c>atob</c>/<c>btoa</c> as in browsers, except that <c>atob</c> also accepts the base64url alphabet and missing
/// padding (SPEC §2), so <c>JSON.parse(atob(jwt.split('.')[1]))</c> works for every JWT.
/// </summary>
internal sealed class Base64Globals : IScriptGlobalProvider
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public IEnumerable<ScriptGlobal> Shared =>
    [
        new("atob", entity => entity.Function("atob", (_, args) =>
        {
            var text = TypeConverter.ToString(args.Length > 0 ? args[0] : JsValue.Undefined);
            var decoded = Decode(text, out var error);
            return decoded ?? throw entity.Error($"atob: {error}");
        }, 1)),
        new("btoa", entity => entity.Function("btoa", (_, args) =>
        {
            var text = TypeConverter.ToString(args.Length > 0 ? args[0] : JsValue.Undefined);
            return Encode(text) ?? throw entity.Error("btoa: the string contains characters outside of Latin1");
        }, 1)),
    ];

    /// <summary>Decodes to a binary string (one char per byte), or null with <paramref name="error"/> saying why.</summary>
    public static string? Decode(string s, out string error)
    {
        error = "";
        var end = s.Length;
        while (end > 0 && s[end - 1] == '=') end--;
        if (s.Length - end > 2)
        {
            error = "too much padding";
            return null;
        }
        var output = new StringBuilder(end * 3 / 4);
        int buffer = 0, bits = 0;
        for (var i = 0; i < end; i++)
        {
            var ch = s[i];
            if (ch is ' ' or '\n' or '\r' or '\t') continue;
            var v = ch switch
            {
                >= 'A' and <= 'Z' => ch - 'A',
                >= 'a' and <= 'z' => ch - 'a' + 26,
                >= '0' and <= '9' => ch - '0' + 52,
                '+' or '-' => 62,
                '/' or '_' => 63,
                _ => -1,
            };
            if (v < 0)
            {
                error = $"invalid base64 character '{ch}' at position {i}";
                return null;
            }
            buffer = (buffer << 6) | v;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                output.Append((char)((buffer >> bits) & 0xff));
            }
        }
        if (bits >= 6)
        {
            error = "the input length is not valid base64";
            return null;
        }
        return output.ToString();
    }

    private static string? Encode(string s)
    {
        var output = new StringBuilder((s.Length + 2) / 3 * 4);
        for (var i = 0; i < s.Length; i += 3)
        {
            int a = s[i], b = i + 1 < s.Length ? s[i + 1] : 0, c = i + 2 < s.Length ? s[i + 2] : 0;
            if (a > 255 || b > 255 || c > 255) return null;
            var n = (a << 16) | (b << 8) | c;
            output.Append(Alphabet[(n >> 18) & 63]).Append(Alphabet[(n >> 12) & 63]);
            output.Append(i + 1 < s.Length ? Alphabet[(n >> 6) & 63] : '=');
            output.Append(i + 2 < s.Length ? Alphabet[n & 63] : '=');
        }
        return output.ToString();
    }
}
