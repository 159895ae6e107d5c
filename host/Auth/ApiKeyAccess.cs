namespace LowCodeTokens.Host.Auth;

/// <summary>Which keys an endpoint accepts.</summary>
public enum ApiKeyAccess
{
    /// <summary>Only the admin key.</summary>
    Admin,
    /// <summary>The app key of the app named by the <c>{app}</c> route value, or the admin key.</summary>
    App,
    /// <summary>The viewer's sign-in cookie for the app named by the <c>{app}</c> route value (no header: browsers cannot keep one safely).</summary>
    Viewer,
}
