using System.Net;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Viewer;

/// <summary>The viewer's sign-in: a key once, then an HttpOnly SameSite=Strict cookie for that app's viewer routes only.</summary>
public sealed class ViewerAuthTests : IAsyncLifetime
{
    private OAuthTestServer _oauth = null!;
    private ViewerHost _host = null!;

    public async Task InitializeAsync()
    {
        _oauth = await OAuthTestServer.StartNewAsync();
        _host = new ViewerHost();
        await PageLoadEndToEndTests.PublishAndImportAsync(_host.Admin, PageLoadEndToEndTests.SpecApp(_oauth));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _oauth.DisposeAsync();
    }

    [Fact]
    public async Task Page_WithoutKey_IsASignInFormWithoutThePage()
    {
        using var client = _host.Browser();
        var response = await client.GetAsync("/apps/crm/pages/Home");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("<form method=\"post\"", html);
        Assert.DoesNotContain("viewer.js", html);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Key_IsExchangedForAnAppScopedHttpOnlyStrictCookie_ThatOpensTheViewerApiOnly()
    {
        using var client = _host.Browser();
        var key = await _host.AppKeyAsync("crm");
        var signIn = await client.GetAsync($"/apps/crm/pages/Home?key={Uri.EscapeDataString(key)}");
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal("/apps/crm/pages/Home", signIn.Headers.Location!.OriginalString);
        var setCookie = signIn.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("path=/apps/crm", setCookie);
        Assert.Contains("httponly", setCookie);
        Assert.Contains("samesite=strict", setCookie);
        Assert.DoesNotContain(key, setCookie);
        var cookie = setCookie.Split(';')[0];

        var page = new HttpRequestMessage(HttpMethod.Get, "/apps/crm/pages/Home") { Headers = { { "Cookie", cookie } } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(page)).StatusCode);
        var load = new HttpRequestMessage(HttpMethod.Post, "/apps/crm/viewer/pages/Home/load")
        {
            Headers = { { "Cookie", cookie } }, Content = PageLoadEndToEndTests.Json("{}"),
        };
        var loaded = await client.SendAsync(load);
        var body = await loaded.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, loaded.StatusCode);
        Assert.DoesNotContain("\"data\"", body); // actions travel without their data
        Assert.DoesNotContain("responseMeta", body);

        // The cookie is not an API key, and an API key does not open the viewer API.
        var api = new HttpRequestMessage(HttpMethod.Post, "/api/apps/crm/pages/Home/load")
        {
            Headers = { { "Cookie", cookie } }, Content = PageLoadEndToEndTests.Json("{}"),
        };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(api)).StatusCode);
        var viewerWithHeader = new HttpRequestMessage(HttpMethod.Post, "/apps/crm/viewer/pages/Home/load")
        {
            Headers = { { "X-Api-Key", key } }, Content = PageLoadEndToEndTests.Json("{}"),
        };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(viewerWithHeader)).StatusCode);
    }

    [Fact]
    public async Task Cookie_ForOneApp_DoesNotOpenAnother_AndAWrongKeyIsRefused()
    {
        using var client = _host.Browser();
        var wrong = await client.GetAsync("/apps/crm/pages/Home?key=lct_not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        // The sign-in form shown again sets its antiforgery cookie, never a viewer cookie.
        Assert.DoesNotContain(wrong.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("lct_viewer=", StringComparison.Ordinal));

        var signIn = await client.GetAsync($"/apps/crm/pages/Home?key={EngineHostFactory.AdminKey}");
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var other = new HttpRequestMessage(HttpMethod.Post, "/apps/other/viewer/pages/Home/load")
        {
            Headers = { { "Cookie", cookie } }, Content = PageLoadEndToEndTests.Json("{}"),
        };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(other)).StatusCode);
    }
}
