using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace LowCodeTokens.Host.SignIn;

/// <summary>
/// Builds an app's OpenID Connect and cookie options from its <c>signIn</c> (<see cref="SignInSettings"/>): code flow with
/// PKCE, state and nonce, the id_token checked against the issuer's discovery document and keys, no token in the cookie.
/// </summary>
/// <remarks>
/// The response comes back as a query (a top-level GET from the provider's site): the cross-site refusal of state-changing
/// requests does not meet it, and the correlation and nonce cookies, SameSite=Lax, come back with such a navigation (a
/// form_post would need SameSite=None, which browsers keep only on HTTPS). The session cookie is Lax too: the provider's
/// redirect to the callback and the callback's redirect to the page are one cross-site chain, on which a Strict cookie
/// would not be sent. State-changing viewer requests are refused cross-site by the host regardless of cookies.
/// </remarks>
internal sealed class ConfigureSignInOptions(SignInSettings settings, SignInEvents events, TimeProvider time)
    : IConfigureNamedOptions<OpenIdConnectOptions>, IConfigureNamedOptions<CookieAuthenticationOptions>
{
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name is null || SignInSchemes.AppOf(name, out var isOidc) is not { } app || !isOidc || settings.Current(app) is not { } signIn) return;
        var authority = new Uri(signIn.Authority);
        options.Authority = signIn.Authority;
        // HTTP discovery only for a provider on this machine (the demo's, the tests'); anywhere else it must be HTTPS.
        options.RequireHttpsMetadata = !authority.IsLoopback; // Uri.IsLoopback covers 127.0.0.0/8, [::1] and localhost
        options.ClientId = signIn.ClientId;
        options.ClientSecret = signIn.ClientSecret.Length > 0 ? signIn.ClientSecret : null;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        options.Scope.Clear();
        foreach (var scope in signIn.Scopes) options.Scope.Add(scope);
        options.SaveTokens = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.MapInboundClaims = false;
        options.CallbackPath = SignInSchemes.CallbackPath(app);
        options.SignedOutCallbackPath = SignInSchemes.SignedOutCallbackPath(app);
        options.RemoteSignOutPath = SignInSchemes.AppPath(app) + "/signout-oidc-remote";
        options.SignInScheme = SignInSchemes.Cookie(app);
        options.SignOutScheme = SignInSchemes.Cookie(app);
        options.TimeProvider = time;
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Events = new OpenIdConnectEvents
        {
            OnTokenValidated = context => events.TokenValidatedAsync(context, app, signIn),
            OnRemoteFailure = context => events.RemoteFailureAsync(context, app),
            OnAccessDenied = context => events.AccessDeniedAsync(context, app),
            OnRedirectToIdentityProviderForSignOut = context => events.RedirectForSignOutAsync(context),
        };
    }

    public void Configure(string? name, CookieAuthenticationOptions options)
    {
        if (name is null || SignInSchemes.AppOf(name, out var isOidc) is not { } app || isOidc) return;
        options.Cookie.Name = SignInSchemes.CookieName;
        options.Cookie.Path = SignInSchemes.AppPath(app);
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Cookie.IsEssential = true;
        options.ExpireTimeSpan = SessionLifetime;
        options.SlidingExpiration = false;
        options.TimeProvider = time;
        options.Events.OnRedirectToLogin = context =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        };
    }

    public void Configure(OpenIdConnectOptions options) { }

    public void Configure(CookieAuthenticationOptions options) { }
}
