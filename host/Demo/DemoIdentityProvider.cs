using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace LowCodeTokens.Host.Demo;

/// <summary>
/// A real OpenID Connect provider for the demo and the tests (OpenIddict.Server 7, in process on 127.0.0.1): discovery,
/// ephemeral signing keys, authorization code + PKCE, rotating refresh tokens (no reuse leeway), revocation (RFC 7009),
/// end session, a minimal login page for the users <c>alice</c> and <c>bob</c> (password = user name), and a users API
/// (<c>GET /api/me/items</c>) that answers each user's own data for that user's access token.
/// </summary>
/// <remarks>
/// Its store is Entity Framework Core's in-memory provider: the provider is rebuilt at every start, as the demo is, and
/// OpenIddict's degraded mode would leave code redemption, token rotation and revocation to hand-written code. For the
/// demo and tests only: users and their passwords are fixed, keys are ephemeral, HTTP without TLS is allowed.
/// </remarks>
public sealed class DemoIdentityProvider : IAsyncDisposable
{
    public const string ApiScope = "api";
    private const string LoginScheme = "idp-login";

    private static readonly (string Subject, string Name, string[] Items)[] Users =
    [
        ("5a1f0c2e-alice", "alice", ["Invoice A-1001 (alice)", "Invoice A-1002 (alice)", "Contract A-77 (alice)"]),
        ("9b7d33e1-bob", "bob", ["Invoice B-2001 (bob)", "Order B-314 (bob)"]),
    ];

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _refreshes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _revocations = new(StringComparer.Ordinal);
    private int _endSessions;
    private readonly Lock _registrationGate = new();
    private Func<Task>? _deferredRegistration;
    private Task? _registration;

    private DemoIdentityProvider(WebApplication app) => _app = app;

    /// <summary>The issuer: <c>http://127.0.0.1:{port}/</c>.</summary>
    public string Authority { get; private set; } = "";

    /// <summary>The issuer without its trailing slash, for building URLs.</summary>
    public string BaseUrl => Authority.TrimEnd('/');

    /// <summary><c>host:port</c>, for an app's <c>allowedHosts</c>.</summary>
    public string Host => new Uri(Authority).Authority;

    public string TokenEndpoint => BaseUrl + "/connect/token";

    /// <summary>Refresh-token grants answered for <paramref name="user"/> (alice, bob).</summary>
    public int Refreshes(string user) => _refreshes.GetValueOrDefault(SubjectOf(user));

    /// <summary>Revocation requests answered for a token of <paramref name="user"/>.</summary>
    public int Revocations(string user) => _revocations.GetValueOrDefault(SubjectOf(user));

    /// <summary>End-session (RP-initiated logout) requests answered.</summary>
    public int EndSessions => Volatile.Read(ref _endSessions);

    /// <summary>The subject (<c>sub</c>) the provider gives <paramref name="user"/>.</summary>
    public static string SubjectOf(string user) => Users.First(u => u.Name == user).Subject;

    public static async Task<DemoIdentityProvider> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var database = "demo-idp-" + Guid.NewGuid().ToString("N");
        builder.Services.AddDbContext<DbContext>(o => o
            .UseInMemoryDatabase(database)
            .UseOpenIddict()
            // OpenIddict opens transactions around token redemption; the in-memory provider has none (one process, one store).
            .ConfigureWarnings(w => w.Ignore(InMemoryEventId.TransactionIgnoredWarning)));
        DemoIdentityProvider? self = null;
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<DbContext>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetEndSessionEndpointUris("connect/endsession");
                o.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().RequireProofKeyForCodeExchange();
                o.RegisterScopes(Scopes.OpenId, Scopes.OfflineAccess, Scopes.Profile, ApiScope);
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                // A redeemed refresh token is dead at once: a client that used an old one after rotation would be caught.
                o.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
                o.AddEventHandler<OpenIddictServerEvents.ProcessSignInContext>(h => h.UseInlineHandler(context =>
                {
                    if (context.EndpointType == OpenIddictServerEndpointType.Token && context.Request.IsRefreshTokenGrantType()
                        && context.Principal?.GetClaim(Claims.Subject) is { } subject)
                        self!._refreshes.AddOrUpdate(subject, 1, (_, n) => n + 1);
                    return default;
                }));
                o.AddEventHandler<OpenIddictServerEvents.HandleRevocationRequestContext>(h => h.UseInlineHandler(context =>
                {
                    if (context.GenericTokenPrincipal?.GetClaim(Claims.Subject) is { } subject)
                        self!._revocations.AddOrUpdate(subject, 1, (_, n) => n + 1);
                    return default;
                }));
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.UseAspNetCore();
            });
        builder.Services.AddAuthentication(LoginScheme).AddCookie(LoginScheme, o =>
        {
            o.Cookie.Name = "demo_idp_login";
            o.LoginPath = "/login";
        });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        self = new DemoIdentityProvider(app);
        app.Use(async (context, next) =>
        {
            await self.RegisterDeferredClientAsync();
            await next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/login", (HttpRequest request) => LoginPage(request.Query["returnUrl"].ToString(), null));
        app.MapPost("/login", (HttpRequest request) => SignInUserAsync(request.HttpContext));
        app.MapMethods("/connect/authorize", ["GET", "POST"], (HttpRequest request) => AuthorizeAsync(request.HttpContext));
        app.MapMethods("/connect/endsession", ["GET", "POST"], (HttpRequest request) => self.EndSessionAsync(request.HttpContext));
        app.MapGet("/api/me/items", (HttpRequest request) => Items(request.HttpContext.User))
            .RequireAuthorization(p => p.AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme).RequireAuthenticatedUser());

        await app.StartAsync(cancellationToken);
        self.Authority = new Uri(app.Urls.First()).GetLeftPart(UriPartial.Authority).Replace("localhost", "127.0.0.1") + "/";
        return self;
    }

    /// <summary>
    /// The definitions folder's variables for an app signing users in here (<c>definitions/apps/portal.json</c>):
    /// <c>${IDP_AUTHORITY}</c>, <c>${IDP_TOKEN_URL}</c>, <c>${IDP_URL}</c>, <c>${IDP_HOST}</c> and <c>${IDP_CLIENT_SECRET}</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Variables(string clientSecret) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["IDP_AUTHORITY"] = Authority,
        ["IDP_TOKEN_URL"] = TokenEndpoint,
        ["IDP_URL"] = BaseUrl,
        ["IDP_HOST"] = Host,
        ["IDP_CLIENT_SECRET"] = clientSecret,
    };

    /// <summary>
    /// <see cref="RegisterClientAsync"/> when the provider answers its first request instead of now: the first use of its
    /// store builds Entity Framework's model (~0.5 s of CPU, measured at the host's start), which the demo's start would
    /// otherwise pay before anyone signs in.
    /// </summary>
    public void RegisterClientOnFirstRequest(string clientId, string clientSecret, IEnumerable<string> redirectUris, IEnumerable<string> postLogoutRedirectUris)
    {
        var (redirects, postLogout) = (redirectUris.ToList(), postLogoutRedirectUris.ToList());
        lock (_registrationGate)
            _deferredRegistration = () => RegisterClientAsync(clientId, clientSecret, redirects, postLogout);
    }

    private Task RegisterDeferredClientAsync()
    {
        lock (_registrationGate)
        {
            if (_deferredRegistration is { } register)
            {
                _deferredRegistration = null;
                _registration = register();
            }
            return _registration ?? Task.CompletedTask;
        }
    }

    /// <summary>Registers a confidential client allowed the code flow with PKCE, refresh tokens, revocation and end session.</summary>
    public async Task RegisterClientAsync(string clientId, string clientSecret, IEnumerable<string> redirectUris,
        IEnumerable<string> postLogoutRedirectUris, CancellationToken cancellationToken = default)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = clientSecret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.Revocation,
                Permissions.Endpoints.EndSession, Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code, Permissions.Scopes.Profile, Permissions.Prefixes.Scope + ApiScope,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in redirectUris) descriptor.RedirectUris.Add(new Uri(uri));
        foreach (var uri in postLogoutRedirectUris) descriptor.PostLogoutRedirectUris.Add(new Uri(uri));
        await manager.CreateAsync(descriptor, cancellationToken);
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var login = await context.AuthenticateAsync(LoginScheme);
        if (!login.Succeeded || login.Principal.FindFirst(Claims.Subject)?.Value is not { } subject)
            return Results.Redirect("/login?returnUrl=" + Uri.EscapeDataString(context.Request.PathBase + context.Request.Path + context.Request.QueryString));

        var user = Users.First(u => u.Subject == subject);
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Name, user.Name).SetClaim(Claims.PreferredUsername, user.Name);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(claim => claim.Type is Claims.Name or Claims.PreferredUsername
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<IResult> EndSessionAsync(HttpContext context)
    {
        Interlocked.Increment(ref _endSessions);
        await context.SignOutAsync(LoginScheme);
        // OpenIddict redirects to the post_logout_redirect_uri when the client registered it, else to this page.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/login" },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static async Task<IResult> SignInUserAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = form["returnUrl"].ToString();
        var user = Users.FirstOrDefault(u => u.Name == form["username"].ToString());
        if (user.Name is null || form["password"].ToString() != user.Name)
            return LoginPage(returnUrl, "Unknown user or wrong password.");
        var identity = new ClaimsIdentity([new Claim(Claims.Subject, user.Subject), new Claim(Claims.Name, user.Name)], LoginScheme);
        await context.SignInAsync(LoginScheme, new ClaimsPrincipal(identity));
        // Only back into this provider's authorization endpoint: never an open redirect.
        return Results.Redirect(returnUrl.StartsWith("/connect/authorize", StringComparison.Ordinal) ? returnUrl : "/login");
    }

    private static IResult LoginPage(string returnUrl, string? error)
    {
        var e = HtmlEncoder.Default;
        var message = error is null ? "" : $"<p role=\"alert\">{e.Encode(error)}</p>";
        var html = $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo identity provider · sign in</title></head>
            <body><h1>Demo identity provider</h1><p>Demo users: alice / alice, bob / bob.</p>{message}
            <form method="post" action="/login"><input type="hidden" name="returnUrl" value="{e.Encode(returnUrl)}">
            <label>User <input name="username" autocomplete="username" required></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">Sign in</button></form></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: error is null ? 200 : 401);
    }

    private static IResult Items(ClaimsPrincipal principal)
    {
        var subject = principal.FindFirst(Claims.Subject)?.Value;
        var user = Users.FirstOrDefault(u => u.Subject == subject);
        if (user.Name is null) return Results.Forbid();
        return Results.Json(new { user = user.Name, results = user.Items.Select((title, i) => new { id = i + 1, title }) });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
