using System.Security.Cryptography;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Host.Auth;
using Microsoft.AspNetCore.DataProtection;

namespace LowCodeTokens.Host.Viewer;

/// <summary>
/// The viewer's sign-in: a key presented once is exchanged for an HttpOnly, SameSite=Strict cookie whose path is the
/// app's (<c>/apps/{app}</c>), so a browser never holds the key itself and the cookie opens no other app and no <c>/api</c> route.
/// </summary>
/// <remarks>
/// The cookie is a Data Protection ticket (app, key kind, key hash; 12 h) rather than the key: a stolen cookie is worth one
/// app's viewer for hours, not an admin key. The hash is re-checked on every request, so removing an app key or changing
/// the admin key signs its viewers out.
/// </remarks>
internal sealed class ViewerTickets(IDataProtectionProvider protection, AdminKeyProvider adminKey, TimeProvider time)
{
    public const string CookieName = "lct_viewer";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    private const char Separator = '|';

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("LowCodeTokens.Viewer.Ticket.v1").ToTimeLimitedDataProtector();

    /// <summary>Sets the cookie when <paramref name="presentedKey"/> is the admin key or <paramref name="app"/>'s key.</summary>
    public async Task<bool> SignInAsync(HttpContext context, string app, string presentedKey)
    {
        var key = presentedKey.Trim();
        if (key.Length == 0) return false;
        var hash = ApiKeys.HashBytes(key);
        var kind = adminKey.Matches(key) ? 'a' : await IsAppKeyAsync(context, app, hash) ? 'k' : '\0';
        if (kind == '\0') return false;

        var ticket = _protector.Protect($"{kind}{Separator}{Convert.ToHexStringLower(hash)}{Separator}{app}",
            time.GetUtcNow() + Lifetime);
        context.Response.Cookies.Append(CookieName, ticket, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = AppPath(app),
            MaxAge = Lifetime,
            IsEssential = true,
        });
        return true;
    }

    /// <summary>True when the request carries a valid, unexpired ticket for <paramref name="app"/> whose key still works.</summary>
    public async Task<bool> IsSignedInAsync(HttpContext context, string? app)
    {
        if (app is null || context.Request.Cookies[CookieName] is not { Length: > 0 } ticket) return false;
        string payload;
        try
        {
            payload = _protector.Unprotect(ticket, out var expiresAt);
            if (expiresAt <= time.GetUtcNow()) return false;
        }
        catch (CryptographicException)
        {
            return false;
        }

        var parts = payload.Split(Separator, 3);
        if (parts.Length != 3 || !string.Equals(parts[2], app, StringComparison.Ordinal)) return false;
        var hash = Convert.FromHexString(parts[1]);
        var signedIn = parts[0] switch
        {
            "a" => adminKey.MatchesHash(hash),
            "k" => await IsAppKeyAsync(context, app, hash),
            _ => false,
        };
        if (signedIn) PresentedKey.Set(context, parts[0] == "a" ? PresentedKey.Admin : PresentedKey.App(parts[1]));
        return signedIn;
    }

    /// <summary>The path the cookie is scoped to: the viewer page and the viewer API of this app only.</summary>
    public static string AppPath(string app) => "/apps/" + Uri.EscapeDataString(app);

    private static async Task<bool> IsAppKeyAsync(HttpContext context, string app, byte[] hash)
    {
        var repository = context.RequestServices.GetRequiredService<IDefinitionRepository>();
        var keyApp = await repository.FindAppByKeyHashAsync(Convert.ToHexStringLower(hash), context.RequestAborted);
        return string.Equals(keyApp, app, StringComparison.Ordinal);
    }
}
