using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Host.SignIn;

/// <summary>
/// The registered schemes plus, for every app whose definition has <c>signIn</c>, its OpenID Connect and cookie schemes
/// (<see cref="SignInSchemes"/>): apps come and go by import, so their schemes cannot be registered at start-up.
/// </summary>
internal sealed class SignInSchemeProvider(IOptions<AuthenticationOptions> options, IServiceProvider services)
    : AuthenticationSchemeProvider(options)
{
    public override async Task<AuthenticationScheme?> GetSchemeAsync(string name)
    {
        if (await base.GetSchemeAsync(name) is { } registered) return registered;
        if (SignInSchemes.AppOf(name, out var isOidc) is not { Length: > 0 } app) return null;
        if (await services.GetRequiredService<SignInSettings>().GetAsync(app) is null) return null;
        return new AuthenticationScheme(name, null, isOidc ? typeof(OpenIdConnectHandler) : typeof(CookieAuthenticationHandler));
    }
}
