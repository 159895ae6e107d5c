using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace LowCodeTokens.Host.SignIn;

/// <summary>
/// The store scope of a signed-in end user: <c>user:</c> + base64url(SHA-256(iss + "\n" + sub)). Derived from the validated
/// issuer and subject, so it is stable across sign-ins and display-name changes, distinct per provider, and reveals neither.
/// </summary>
public static class UserScope
{
    public const string Prefix = "user:";

    public static string For(string issuer, string subject) =>
        Prefix + WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes(issuer + "\n" + subject)));
}
