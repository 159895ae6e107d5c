using System.Net;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Infrastructure;
using LowCodeTokens.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LowCodeTokens.Tests.Viewer;

/// <summary>
/// Issue 15 item 4: a <c>?key=</c> URL is answered with the cookie and a redirect to the same URL without the key, and no
/// log line holds a key, with every category (ASP.NET Core's request logging included) logging at Trace.
/// </summary>
public sealed class ViewerKeyInUrlTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private OAuthTestServer _oauth = null!;
    private ViewerHost _host = null!;

    public async Task InitializeAsync()
    {
        _oauth = await OAuthTestServer.StartNewAsync();
        // A rule for this provider wins over appsettings' "Microsoft.AspNetCore": "Warning": everything reaches it.
        _host = new ViewerHost(s => s.AddLogging(b => b.AddProvider(_logs).AddFilter<CapturingLoggerProvider>(_ => true)));
        await PageLoadEndToEndTests.PublishAndImportAsync(_host.Admin, PageLoadEndToEndTests.SpecApp(_oauth));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _oauth.DisposeAsync();
    }

    [Fact]
    public async Task KeyInTheUrl_SetsTheCookieAndRedirectsToTheUrlWithoutIt_KeepingTheOtherParameters()
    {
        using var client = _host.Browser();
        var key = await _host.AppKeyAsync("crm");

        var signIn = await client.GetAsync($"/apps/crm/pages/Home?tab=orders&key={Uri.EscapeDataString(key)}&sort=name%20asc&tab=2");

        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal("/apps/crm/pages/Home?tab=orders&tab=2&sort=name%20asc", signIn.Headers.Location!.OriginalString);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("lct_viewer=", StringComparison.Ordinal)).Split(';')[0];
        var page = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, signIn.Headers.Location) { Headers = { { "Cookie", cookie } } });
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task KeysInUrls_RightWrongOrForAnotherApp_AppearInNoLogLine()
    {
        using var client = _host.Browser();
        var key = await _host.AppKeyAsync("crm");
        var imported = await _host.Admin.PutAsync("/api/apps/other", PageLoadEndToEndTests.Json("""{ "name": "other", "pages": [ { "name": "Home" } ] }"""));
        Assert.True(imported.IsSuccessStatusCode);
        var otherKey = await _host.AppKeyAsync("other");

        Assert.Equal(HttpStatusCode.SeeOther, (await client.GetAsync($"/apps/crm/pages/Home?key={key}")).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await client.GetAsync($"/apps/crm/pages/Home?x=1&KEY={key}")).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await client.GetAsync($"/apps/crm/pages/Home?key={EngineHostFactory.AdminKey}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/apps/crm/pages/Home?key={otherKey}")).StatusCode);
        await client.GetAsync($"/apps/crm/viewer/pages/Home/load?key={key}"); // a route that takes no key
        var withHeader = new HttpRequestMessage(HttpMethod.Get, "/api/apps/crm?key=" + otherKey) { Headers = { { "X-Api-Key", key } } };
        await client.SendAsync(withHeader);

        var lines = _logs.Lines.ToList();
        Assert.Contains(lines, l => l.Contains("Request starting", StringComparison.Ordinal) && l.Contains("/apps/crm/pages/Home", StringComparison.Ordinal));
        foreach (var secret in new[] { key, otherKey, EngineHostFactory.AdminKey })
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
    }
}
