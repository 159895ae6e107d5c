using LowCodeTokens.Engine.Definitions;
using Microsoft.AspNetCore.Authentication;

namespace LowCodeTokens.Host.SignIn;

/// <summary>
/// The signed-in end user of a viewer request, from the app's session cookie: their scope is what the sign-in derived and
/// nothing the browser sends (body, query string, another cookie) can change it.
/// </summary>
internal sealed class ViewerUsers(SignInSettings settings)
{
    private static readonly object UserKey = new();

    public sealed record User(string App, string Scope, string Name);

    /// <summary>The app's sign-in settings when its viewer signs users in; null when it opens with a key (or does not exist).</summary>
    public Task<SignInDefinition?> SignInOfAsync(string app, CancellationToken ct) => settings.GetAsync(app, ct);

    /// <summary>The user of this request for <paramref name="app"/>, remembered for the endpoint; null when not signed in.</summary>
    public async Task<User?> AuthenticateAsync(HttpContext context, string app)
    {
        var result = await context.AuthenticateAsync(SignInSchemes.Cookie(app));
        if (!result.Succeeded) return null;
        var claims = result.Principal;
        // The cookie is protected per app (its scheme is in the data protection purpose); the app claim is a second lock.
        if (claims.FindFirst(SignInSchemes.AppClaim)?.Value != app || claims.FindFirst(SignInSchemes.ScopeClaim)?.Value is not { } scope
            || !scope.StartsWith(UserScope.Prefix, StringComparison.Ordinal))
            return null;
        var user = new User(app, scope, claims.FindFirst("name")?.Value ?? "");
        context.Items[UserKey] = user;
        return user;
    }

    /// <summary>The user <see cref="AuthenticateAsync"/> found for this request, if any.</summary>
    public static User? Current(HttpContext context) => context.Items[UserKey] as User;
}
