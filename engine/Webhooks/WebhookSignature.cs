using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LowCodeTokens.Engine.Webhooks;

/// <summary>
/// How deliveries are signed: header <c>LowCodeTokens-Signature: t={unix seconds},v1={hex HMAC-SHA256}</c> where the HMAC
/// key is the webhook's secret (its UTF-8 bytes) and the message is <c>{t}.{body}</c> (the raw request body). A receiver
/// recomputes it, compares in constant time, and refuses a <c>t</c> too far from its clock (replays).
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "LowCodeTokens-Signature";
    public const string EventHeaderName = "LowCodeTokens-Event";
    public const string DeliveryHeaderName = "LowCodeTokens-Delivery";

    public static string Header(string secret, DateTimeOffset timestamp, string body)
    {
        var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Compute(secret, t, body)}";
    }

    private static string Compute(string secret, string t, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")));
}
