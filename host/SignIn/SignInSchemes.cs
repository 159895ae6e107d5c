namespace LowCodeTokens.Host.SignIn;

/// <summary>
/// Each app with <c>signIn</c> has two authentication schemes of its own, made on demand (<see cref="SignInSchemeProvider"/>):
/// the OpenID Connect handler and the cookie that holds the viewer's session. Their names carry the app's name, so the
/// state, correlation and session cookies one app's handler protects are unreadable to another app's.
/// </summary>
internal static class SignInSchemes
{
    public const string OidcPrefix = "lct-oidc:";
    public const string CookiePrefix = "lct-user:";
    public const string CookieName = "lct_user";
    public const string ScopeClaim = "lct_scope";
    public const string AppClaim = "lct_app";

    public static string Oidc(string app) => OidcPrefix + app;

    public static string Cookie(string app) => CookiePrefix + app;

    public static string AppPath(string app) => Viewer.ViewerTickets.AppPath(app);

    public static string SignedOutPath(string app) => AppPath(app) + "/signed-out";

    public static string CallbackPath(string app) => AppPath(app) + "/signin-oidc";

    public static string SignedOutCallbackPath(string app) => AppPath(app) + "/signout-oidc";

    public static string SignInPath(string app, string? page) =>
        AppPath(app) + "/signin" + (string.IsNullOrEmpty(page) ? "" : "?page=" + Uri.EscapeDataString(page));

    public static string PagePath(string app, string page) => AppPath(app) + "/pages/" + Uri.EscapeDataString(page);

    /// <summary>The app a scheme name belongs to, or null when it is not one of these schemes.</summary>
    public static string? AppOf(string scheme, out bool isOidc)
    {
        isOidc = scheme.StartsWith(OidcPrefix, StringComparison.Ordinal);
        if (isOidc) return scheme[OidcPrefix.Length..];
        return scheme.StartsWith(CookiePrefix, StringComparison.Ordinal) ? scheme[CookiePrefix.Length..] : null;
    }
}
