using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Host;

namespace LowCodeTokens.Tests.SignIn;

/// <summary>
/// Issue 12: sign-out (session cookie gone, the scope's tokens removed, the refresh token revoked and the provider's end
/// session reached), and no viewer route that lets a user into another user's scope.
/// </summary>
public sealed class SignInSessionTests : IAsyncLifetime
{
    private SignInHost _host = null!;

    public async Task InitializeAsync() => _host = await SignInHost.StartAsync();

    private string BaseUrl => _host.Host.BaseUrl;

    [Fact]
    public async Task SignOut_ClearsCookieAndScopeTokens_RevokesAtProvider_EndsProviderSession()
    {
        using var alice = new SignInFlow();
        await alice.SignInAsync(_host.PageUrl, "alice");
        Assert.Equal(2, (await _host.TokensOfAsync("alice")).Count);
        var refreshToken = (await _host.TokensOfAsync("alice"))[1];

        using var signOut = await alice.Client.PostAsync($"{BaseUrl}/apps/portal/viewer/signout", SignInHost.Json("{}"));
        var location = (await signOut.Content.ReadFromJsonAsync<JsonObject>())!["location"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);
        Assert.False(alice.HasSession(BaseUrl, SignInHost.App));
        Assert.Empty(await _host.TokensOfAsync("alice"));
        Assert.StartsWith(_host.Idp.BaseUrl + "/connect/endsession?", location);
        Assert.Contains("client_id=portal", location);
        Assert.DoesNotContain("id_token_hint=", location); // no token through the browser, not even the id token

        // The browser goes to the provider's end-session page, which sends it back to the app's signed-out page.
        var url = new Uri(location);
        for (int hop = 0; hop < 5 && !url.AbsolutePath.EndsWith("/signed-out", StringComparison.Ordinal); hop++)
        {
            using var step = await alice.Client.GetAsync(url);
            Assert.True((int)step.StatusCode is >= 300 and < 400, $"{location} -> {url}: {(int)step.StatusCode} {await step.Content.ReadAsStringAsync()}");
            url = new Uri(url, step.Headers.Location!);
        }
        Assert.Equal($"{BaseUrl}/apps/portal/signed-out", url.GetLeftPart(UriPartial.Path));
        Assert.Equal(1, _host.Idp.EndSessions);
        Assert.Contains("Signed out", await alice.Client.GetStringAsync(url));

        // The viewer asks for a sign-in again, and the revoked refresh token is dead at the provider.
        using var load = await alice.LoadAsync(BaseUrl, SignInHost.App);
        Assert.Equal(HttpStatusCode.Unauthorized, load.StatusCode);
        Assert.Equal("invalid_grant", await _host.RedeemAsync(refreshToken));
        Assert.Equal(1, _host.Idp.Revocations("alice"));
    }

    [Fact]
    public async Task ViewerRoutes_ScopeInBodyOrQuery_Ignored_UserStaysInOwnScope()
    {
        using var alice = new SignInFlow();
        await alice.SignInAsync(_host.PageUrl, "alice");
        var bobScope = _host.ScopeOf("bob");

        using var load = await alice.LoadAsync(BaseUrl, SignInHost.App, body: $$"""{ "scope": "{{bobScope}}" }""",
            query: "?scope=" + Uri.EscapeDataString(bobScope));

        var body = await load.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, load.StatusCode);
        Assert.Contains("(alice)", body);
        Assert.DoesNotContain("(bob)", body);
        Assert.Empty(await _host.StoreOfAsync("bob"));
    }

    [Fact]
    public async Task ApiKeyHolder_NamesAUsersScope_LoadsWithThatUsersTokens()
    {
        using var alice = new SignInFlow();
        await alice.SignInAsync(_host.PageUrl, "alice");

        // A backend acting for alice (admin or app key) may name her scope through the API; a viewer user may not.
        using var load = await _host.Host.Admin.PostAsync("/api/apps/portal/pages/Home/load",
            SignInHost.Json($$"""{ "scope": "{{_host.ScopeOf("alice")}}" }"""));
        var body = await load.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, load.StatusCode);
        Assert.Contains("Invoice A-1001 (alice)", body);
    }

    [Fact]
    public async Task ViewerRoutes_AnotherUsersSession_Unknown()
    {
        using var alice = new SignInFlow();
        using var bob = new SignInFlow();
        await alice.SignInAsync(_host.PageUrl, "alice");
        await bob.SignInAsync(_host.PageUrl, "bob");
        using var bobLoad = await bob.LoadAsync(BaseUrl, SignInHost.App);
        var bobSession = (await bobLoad.Content.ReadFromJsonAsync<JsonObject>())!["sessionId"]!.GetValue<string>();

        using var run = await alice.Client.PostAsync($"{BaseUrl}/apps/portal/viewer/sessions/{bobSession}/run",
            SignInHost.Json("""{ "action": "myItems" }"""));
        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
        // Bob himself can run in it.
        using var own = await bob.Client.PostAsync($"{BaseUrl}/apps/portal/viewer/sessions/{bobSession}/run",
            SignInHost.Json("""{ "action": "myItems" }"""));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task ViewerRoutes_ForgedOrForeignCookieOrKey_Refused()
    {
        using var alice = new SignInFlow();
        await alice.SignInAsync(_host.PageUrl, "alice");
        await _host.AddAppAsync("portal2", "portal2-secret-0123456789");
        using var aliceInPortal2 = new SignInFlow();
        await aliceInPortal2.SignInAsync(_host.Host.PageUrl("portal2", "Home"), "alice");
        var valid = CookieValue(alice, "portal");
        var portal2 = CookieValue(aliceInPortal2, "portal2");

        using var browser = _host.Host.Browser();
        foreach (var forged in new[] { valid[..^4] + "AAAA", valid.Replace('a', 'b'), portal2, "", "alice" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/apps/portal/viewer/pages/Home/load") { Content = SignInHost.Json("{}") };
            request.Headers.Add("Cookie", "lct_user=" + forged);
            using var response = await browser.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // A key does not open an app whose users sign in: not the admin key in the URL, not in the header of a viewer route.
        using var withKey = await browser.GetAsync($"/apps/portal/pages/Home?key={EngineHostFactory.AdminKey}");
        Assert.Equal(HttpStatusCode.SeeOther, withKey.StatusCode);
        Assert.StartsWith("/apps/portal/signin", withKey.Headers.Location!.OriginalString);
        Assert.DoesNotContain(withKey.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("lct_viewer="));
        using var keyed = new HttpRequestMessage(HttpMethod.Post, "/apps/portal/viewer/pages/Home/load") { Content = SignInHost.Json("{}") };
        keyed.Headers.Add("X-Api-Key", EngineHostFactory.AdminKey);
        using var keyedResponse = await browser.SendAsync(keyed);
        Assert.Equal(HttpStatusCode.Unauthorized, keyedResponse.StatusCode);
    }

    private string CookieValue(SignInFlow flow, string app)
    {
        var header = flow.CookieHeader($"{BaseUrl}/apps/{app}/pages/Home");
        var pair = header.Split("; ").Single(p => p.StartsWith("lct_user=", StringComparison.Ordinal));
        return pair["lct_user=".Length..];
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
