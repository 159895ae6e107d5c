using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using LowCodeTokens.Tests.Host;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LowCodeTokens.Tests.Viewer;

/// <summary>
/// Issue 15 item 8 over HTTP: the cookie-authenticated viewer routes take JSON only and refuse requests a browser marks as
/// coming from another site or origin; the sign-in form carries an antiforgery token. The fake runtime records every load.
/// </summary>
public sealed partial class ViewerCrossSiteRequestTests : IAsyncLifetime
{
    private const string Admin = HostApiFactory.DefaultAdminKey;
    private const string LoadPath = "/apps/crm/viewer/pages/Home/load";

    private readonly HostApiFactory _factory = new();
    private HttpClient _client = null!;
    private string _cookie = null!;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        await _factory.Repository.PutAppAsync("crm", """{ "name": "crm", "pages": [ { "name": "Home" } ] }""");
        var signIn = await _client.GetAsync($"/apps/crm/pages/Home?key={Admin}");
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        _cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("lct_viewer=", StringComparison.Ordinal)).Split(';')[0];
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        _factory.Dispose();
        return Task.CompletedTask;
    }

    private HttpRequestMessage Post(string path, string? body, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Headers = { { "Cookie", _cookie } } };
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data")]
    public async Task ViewerLoad_WithANonJsonBody_Is415_AndLoadsNothing(string contentType)
    {
        var response = await _client.SendAsync(Post(LoadPath, "{}", contentType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(_factory.Runtime.Loads);
    }

    [Fact]
    public async Task ViewerLoad_WithoutABody_Is415()
    {
        var response = await _client.SendAsync(Post(LoadPath, null));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(_factory.Runtime.Loads);
    }

    [Fact]
    public async Task ViewerRun_WithATextPlainBody_Is415_AndRunsNothing()
    {
        var load = await _client.SendAsync(Post(LoadPath, "{}"));
        Assert.Equal(HttpStatusCode.OK, load.StatusCode);

        var response = await _client.SendAsync(Post("/apps/crm/viewer/sessions/s-1/run", """{ "action": "JSObject1.go" }""", "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(_factory.Runtime.Runs);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")] // another port of the same host is the same site: SameSite cookies go along
    [InlineData("Origin", "http://127.0.0.1:5999")]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "null")]
    public async Task ViewerLoadAndRun_FromAnotherSiteOrOrigin_Are403_AndDoNothing(string header, string value)
    {
        var load = await _client.SendAsync(Post(LoadPath, "{}", headers: (header, value)));
        var run = await _client.SendAsync(Post("/apps/crm/viewer/sessions/s-1/run", """{ "action": "JSObject1.go" }""", headers: (header, value)));

        Assert.Equal(HttpStatusCode.Forbidden, load.StatusCode);
        Assert.Equal("application/problem+json", load.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, run.StatusCode);
        Assert.Empty(_factory.Runtime.Loads);
        Assert.Empty(_factory.Runtime.Runs);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData("Origin", "http://localhost")] // the test server's own origin
    [InlineData(null, null)]                   // no browser: a server-side client
    public async Task ViewerLoad_SameOriginOrWithoutBrowserHeaders_Loads(string? header, string? value)
    {
        var response = await _client.SendAsync(header is null ? Post(LoadPath, "{}") : Post(LoadPath, "{}", headers: (header, value!)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_factory.Runtime.Loads);
    }

    [Fact]
    public async Task ApiLoad_WithTheKeyHeader_FromAServer_Loads_ButFromAnotherSitesPage_Is403()
    {
        var server = new HttpRequestMessage(HttpMethod.Post, "/api/apps/crm/pages/Home/load") { Headers = { { "X-Api-Key", Admin } } };
        var browser = new HttpRequestMessage(HttpMethod.Post, "/api/apps/crm/pages/Home/load")
        {
            Headers = { { "X-Api-Key", Admin }, { "Sec-Fetch-Site", "cross-site" }, { "Origin", "http://evil.example" } },
        };

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(server)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(browser)).StatusCode);
        Assert.Single(_factory.Runtime.Loads);
    }

    [Fact]
    public async Task SignInForm_CarriesAnAntiforgeryToken_AndAPostWithoutIt_SetsNoCookie()
    {
        var form = await _client.GetAsync("/apps/crm/pages/Home");
        var html = await form.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, form.StatusCode);
        Assert.Matches(HiddenToken(), html);

        // Login CSRF: another site's form posts the attacker's key; without the token (and the cookie it pairs with) nothing is signed in.
        var forged = new HttpRequestMessage(HttpMethod.Post, "/apps/crm/pages/Home")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = Admin }),
        };
        var refused = await _client.SendAsync(forged);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("lct_viewer=", StringComparison.Ordinal));
        Assert.Matches(HiddenToken(), await refused.Content.ReadAsStringAsync()); // a fresh form to try again
    }

    [Fact]
    public async Task SignInForm_PostedWithItsTokenAndCookie_SignsIn()
    {
        var form = await _client.GetAsync("/apps/crm/pages/Home");
        var token = HiddenToken().Match(await form.Content.ReadAsStringAsync());
        var antiforgeryCookie = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("lct_antiforgery=", StringComparison.Ordinal)).Split(';')[0];
        var post = new HttpRequestMessage(HttpMethod.Post, "/apps/crm/pages/Home")
        {
            Headers = { { "Cookie", antiforgeryCookie } },
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["key"] = Admin, [WebUtility.HtmlDecode(token.Groups["name"].Value)] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            }),
        };

        var response = await _client.SendAsync(post);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("lct_viewer=", StringComparison.Ordinal));
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]+)">""")]
    private static partial Regex HiddenToken();
}
