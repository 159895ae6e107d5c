using LowCodeTokens.Engine.Definitions.Folders;
using System.Text.Json.Nodes;
using System.Net;
using System.Text;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Host.Demo;
using LowCodeTokens.Host.SignIn;
using LowCodeTokens.Tests.Infrastructure;
using LowCodeTokens.Tests.Tokens;
using LowCodeTokens.Tests.Viewer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace LowCodeTokens.Tests.SignIn;

/// <summary>
/// The real host on Kestrel with the shipped Auth module and the demo's <c>portal</c> app (<c>definitions/apps/portal.json</c>), signing
/// users in at a real OpenID Connect provider (<see cref="DemoIdentityProvider"/>, OpenIddict) on another 127.0.0.1 port.
/// </summary>
internal sealed class SignInHost : IAsyncDisposable
{
    public const string App = "portal";
    public const string ClientSecret = "portal-secret-0123456789";

    private SignInHost(DemoIdentityProvider idp, ViewerHost host, FakeTimeProvider? clock)
    {
        Idp = idp;
        Host = host;
        Clock = clock;
    }

    public DemoIdentityProvider Idp { get; }
    public ViewerHost Host { get; }
    /// <summary>The host's clock when started with one (the provider keeps real time).</summary>
    public FakeTimeProvider? Clock { get; }

    public string PageUrl => Host.PageUrl(App, "Home");

    /// <param name="fakeClock">Run the host on a fake clock that starts now, so a test can let tokens expire.</param>
    public static async Task<SignInHost> StartAsync(bool fakeClock = false)
    {
        var idp = await DemoIdentityProvider.StartAsync();
        var clock = fakeClock ? TestClock.Create(DateTimeOffset.UtcNow) : null;
        var host = new ViewerHost(clock is null ? null : s => s.AddSingleton<TimeProvider>(clock));
        var signInHost = new SignInHost(idp, host, clock);
        var module = await AuthApp.ShippedModuleJsonAsync();
        var published = await host.Admin.PutAsync($"/api/modules/Auth/versions/{module["version"]}", Json(module.ToJsonString()));
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        await signInHost.AddAppAsync(App, ClientSecret);
        return signInHost;
    }

    /// <summary>Imports <c>definitions/apps/portal.json</c> as <paramref name="app"/> with a client of its own at the provider.</summary>
    public async Task AddAppAsync(string app, string clientSecret, string? authority = null)
    {
        await Idp.RegisterClientAsync(app, clientSecret, [$"{Host.BaseUrl}/apps/{app}/signin-oidc"], [$"{Host.BaseUrl}/apps/{app}/signout-oidc"]);
        var portal = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "definitions", "apps", "portal.json")))!;
        FolderVariables.Substitute(portal, "$", Idp.Variables(clientSecret), (path, _, message) => throw new InvalidOperationException($"{path}: {message}"));
        portal["name"] = app;
        portal["signIn"]!["clientId"] = app;
        portal["modules"]![0]!["inputs"]!["clientId"] = app;
        var json = portal.ToJsonString();
        if (authority is not null) json = json.Replace(Idp.Authority, authority);
        var imported = await Host.Admin.PutAsync($"/api/apps/{app}", Json(json));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
    }

    /// <summary>The scope the host gives <paramref name="user"/>: from the provider's issuer and the user's subject.</summary>
    public string ScopeOf(string user) => UserScope.For(Idp.Authority, DemoIdentityProvider.SubjectOf(user));

    /// <summary>What the store of <paramref name="user"/>'s scope holds (decrypted).</summary>
    public async Task<IReadOnlyDictionary<string, string>> StoreOfAsync(string user, string app = App) =>
        (await Host.Services.GetRequiredService<IAppStore>().ReadAsync(app, ScopeOf(user))).Values;

    /// <summary>The access and refresh tokens the store holds for <paramref name="user"/> (as stored: JSON strings unquoted).</summary>
    public async Task<IReadOnlyList<string>> TokensOfAsync(string user)
    {
        var values = await StoreOfAsync(user);
        return [.. new[] { "authAccessToken", "authRefreshToken" }
            .Where(values.ContainsKey).Select(k => System.Text.Json.JsonSerializer.Deserialize<string>(values[k])!)];
    }

    /// <summary>Opens the page in <paramref name="page"/>, signs in at the provider's login page, and waits for the table.</summary>
    public async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync(PageUrl);
        await page.FillAsync("input[name=username]", user);
        await page.FillAsync("input[name=password]", user);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(PageUrl);
        await page.WaitForSelectorAsync("body[data-state=loaded]");
    }

    /// <summary>Redeems a refresh token at the provider as the app's client; the error code, or null on success.</summary>
    public async Task<string?> RedeemAsync(string refreshToken) =>
        await ClientCallAsync(Idp.TokenEndpoint, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });

    /// <summary>Revokes a refresh token at the provider as the app's client; the error code, or null on success.</summary>
    public async Task<string?> RevokeAsync(string refreshToken) =>
        await ClientCallAsync(Idp.BaseUrl + "/connect/revoke", new() { ["token"] = refreshToken, ["token_type_hint"] = "refresh_token" });

    private static async Task<string?> ClientCallAsync(string url, Dictionary<string, string> form)
    {
        form["client_id"] = App;
        form["client_secret"] = ClientSecret;
        using var client = new HttpClient();
        using var response = await client.PostAsync(url, new FormUrlEncodedContent(form));
        if (response.IsSuccessStatusCode) return null;
        var body = await response.Content.ReadAsStringAsync();
        return System.Text.Json.Nodes.JsonNode.Parse(body)?["error"]?.GetValue<string>() ?? body;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Idp.DisposeAsync();
    }
}
