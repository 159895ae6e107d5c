using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LowCodeTokens.Tests.Host;

/// <summary>Issue 15 item 9: every response carries nosniff, no framing and no referrer, whatever route or status produced it.</summary>
public sealed class SecurityHeadersTests : IDisposable
{
    private const string Admin = HostApiFactory.DefaultAdminKey;
    private readonly HostApiFactory _factory = new();
    private readonly HttpClient _client;

    public SecurityHeadersTests() =>
        _client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    public static TheoryData<string, string, string?, string?, int> Responses => new()
    {
        { "GET", "/healthz", null, null, 200 },
        { "GET", "/openapi/v1.json", null, null, 200 },
        { "GET", "/api/apps", Admin, null, 200 },
        { "GET", "/api/apps", null, null, 401 },
        { "GET", "/api/modules", Admin, null, 500 },                     // the engine throws: the exception handler answers
        { "POST", "/api/apps/crm/pages/Home/load", Admin, "{ nope", 400 }, // unreadable JSON
        { "GET", "/api/no-such-route", Admin, null, 404 },               // status code pages
        { "GET", "/favicon.ico", null, null, 404 },
        { "GET", "/viewer/viewer.js", null, null, 200 },
        { "GET", "/apps/crm/pages/Home", null, null, 401 },              // the viewer's sign-in form
        { "POST", "/apps/crm/viewer/pages/Home/load", null, "{}", 401 },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Response_CarriesTheSecurityHeaders(string method, string path, string? key, string? body, int status)
    {
        _factory.Catalog.ListModulesFailure = new InvalidOperationException("engine down");
        await _factory.Repository.PutAppAsync("crm", """{ "name": "crm", "pages": [ { "name": "Home" } ] }""");
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");

        var response = await _client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
    }

    [Fact]
    public async Task ViewerPage_KeepsItsOwnStrictPolicy()
    {
        var signIn = await _client.GetAsync($"/apps/crm/pages/Home?key={Admin}");
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("lct_viewer=", StringComparison.Ordinal)).Split(';')[0];

        var page = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/apps/crm/pages/Home") { Headers = { { "Cookie", cookie } } });

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var policy = Header(page, "Content-Security-Policy");
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("default-src 'none'", policy);
        Assert.Equal("DENY", Header(page, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(page, "Referrer-Policy"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : $"(no {name})";
}
