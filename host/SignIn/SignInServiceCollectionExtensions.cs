using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Host.SignIn;

public static class SignInServiceCollectionExtensions
{
    /// <summary>
    /// End-user sign-in for apps with <c>signIn</c>: ASP.NET Core's OpenID Connect and cookie handlers, with one scheme pair per
    /// app made on demand from its definition (<see cref="SignInSchemeProvider"/>) and re-configured when a re-import changes it.
    /// </summary>
    public static IServiceCollection AddLowCodeSignIn(this IServiceCollection services)
    {
        services.AddAuthentication();
        services.AddWebEncoders();
        services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, SignInSchemeProvider>());
        services.AddHttpContextAccessor();
        services.TryAddSingleton<SignInSettings>();
        services.TryAddSingleton<SignInEvents>();
        services.TryAddSingleton<ViewerUsers>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<OpenIdConnectOptions>, ConfigureSignInOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<CookieAuthenticationOptions>, ConfigureSignInOptions>());
        // What AddOpenIdConnect and AddCookie would register for a scheme known at start-up.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<CookieAuthenticationOptions>, PostConfigureCookieAuthenticationOptions>());
        services.TryAddTransient<OpenIdConnectHandler>();
        services.TryAddTransient<CookieAuthenticationHandler>();
        return services;
    }
}
