using System.Collections.Concurrent;
using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Runtime;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Host.SignIn;

/// <summary>
/// The current <c>signIn</c> of each app, as its compiled definition holds it. When a re-import changes it (another compiled
/// app), the app's handler options are dropped from the options caches, so the next request configures them anew (and reads
/// the new provider's discovery document).
/// </summary>
internal sealed class SignInSettings(
    IAppCatalog catalog,
    IOptionsMonitorCache<OpenIdConnectOptions> oidcOptions,
    IOptionsMonitorCache<CookieAuthenticationOptions> cookieOptions,
    IHttpContextAccessor requests)
{
    private static readonly object ReadKey = new();

    private readonly ConcurrentDictionary<string, SignInDefinition> _current = new(StringComparer.Ordinal);

    /// <summary>The app's sign-in settings, or null when the app does not exist or has none.</summary>
    public async Task<SignInDefinition?> GetAsync(string app, CancellationToken ct = default) => (await AppAsync(app, ct))?.Definition.SignIn;

    /// <summary>The compiled app, read from the catalog once per request (the request's middleware, scheme provider and
    /// endpoint all ask), its sign-in settings noted as current.</summary>
    public async Task<CompiledApp?> AppAsync(string app, CancellationToken ct = default)
    {
        var items = requests.HttpContext?.Items;
        if (items?[ReadKey] is (string readApp, var read) && readApp == app) return (CompiledApp?)read;
        var compiled = await catalog.GetAsync(app, ct);
        Track(app, compiled?.Definition.SignIn);
        if (items is not null) items[ReadKey] = (app, (object?)compiled);
        return compiled;
    }

    private void Track(string app, SignInDefinition? signIn)
    {
        if (signIn is null)
        {
            if (_current.TryRemove(app, out _)) Invalidate(app);
            return;
        }
        var known = _current.GetValueOrDefault(app);
        if (!ReferenceEquals(known, signIn))
        {
            _current[app] = signIn;
            if (known is not null) Invalidate(app);
        }
    }

    /// <summary>What <see cref="GetAsync"/> last found for <paramref name="app"/> (the handlers' options are built from it).</summary>
    public SignInDefinition? Current(string app) => _current.GetValueOrDefault(app);

    private void Invalidate(string app)
    {
        oidcOptions.TryRemove(SignInSchemes.Oidc(app));
        cookieOptions.TryRemove(SignInSchemes.Cookie(app));
    }
}
