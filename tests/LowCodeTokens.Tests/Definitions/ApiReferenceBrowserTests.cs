using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Viewer;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LowCodeTokens.Tests.Definitions;

/// <summary>Issue 14: the API reference page (Scalar) loads in chromium from this host alone and lists the routes of SPEC §6.</summary>
public sealed class ApiReferenceBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>SPEC §6's API routes (method, path as in the OpenAPI document).</summary>
    public static readonly (string Method, string Path)[] SpecRoutes =
    [
        ("PUT", "/api/modules/{name}/versions/{version}"), ("GET", "/api/modules"), ("GET", "/api/modules/{name}"),
        ("PUT", "/api/apps/{app}"), ("GET", "/api/apps/{app}"), ("DELETE", "/api/apps/{app}"),
        ("POST", "/api/apps/{app}/pages/{page}/load"), ("POST", "/api/apps/{app}/sessions/{sessionId}/run"),
        ("GET", "/api/apps/{app}/store"), ("POST", "/api/apps/{app}/keys"),
        ("GET", "/schemas/module.json"), ("GET", "/schemas/app.json"),
    ];

    private static readonly Dictionary<string, string> Enabled = new() { ["LowCodeTokens:ApiReference:Enabled"] = "true" };

    [Fact]
    public async Task ReferencePage_LoadsFromThisHostOnly_AndListsTheRoutesOfSpecSection6()
    {
        await using var host = new ViewerHost(settings: Enabled);
        var document = JsonNode.Parse(await host.Admin.GetStringAsync("/openapi/v1.json"))!;
        var page = await browser.NewPageAsync();
        var requests = new ConcurrentQueue<string>();
        var problems = new ConcurrentQueue<string>();
        page.Request += (_, request) => requests.Enqueue(request.Url);
        page.Console += (_, message) => { if (message.Type == "error") problems.Enqueue(message.Text); };
        page.PageError += (_, error) => problems.Enqueue(error);

        var response = await page.GotoAsync($"{host.BaseUrl}/scalar/");

        Assert.Equal((int)HttpStatusCode.OK, response!.Status);
        await Expect(page).ToHaveTitleAsync("LowCodeTokens API");
        // The sidebar lists each operation under its tag (groups open on a click), linked as #tag/{tag}/{METHOD}{path}.
        var sidebar = page.GetByRole(AriaRole.Complementary);
        await Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = "Modules", Exact = true })).ToBeVisibleAsync();
        var closed = sidebar.GetByRole(AriaRole.Button, new() { Name = "Open Group - " });
        for (int i = 0; i < 20 && await closed.CountAsync() > 0; i++)
            await closed.First.ClickAsync(); // its name becomes "Close Group - ..."
        foreach (var (method, path) in SpecRoutes)
        {
            Assert.NotNull(document["paths"]![path]?[method.ToLowerInvariant()]);
            var link = sidebar.Locator($"a[href$='/{method}{path}']");
            await Expect(link).ToHaveCountAsync(1);
            await Expect(link).ToContainTextAsync(document["paths"]![path]![method.ToLowerInvariant()]!["summary"]!.GetValue<string>());
        }
        // Every operation of the document is listed (routes added later included).
        var operations = document["paths"]!.AsObject().Sum(p => p.Value!.AsObject().Count);
        await Expect(sidebar.Locator("a[href^='#tag/']").Filter(new() { HasText = "HTTP Method" })).ToHaveCountAsync(operations);
        // The API key scheme is offered for requests made from the page.
        await Expect(page.GetByText("Selected Auth Type: ApiKey")).ToBeAttachedAsync();
        await Expect(page.GetByText("X-Api-Key").First).ToBeAttachedAsync();

        Assert.All(requests, url => Assert.True(url.StartsWith(host.BaseUrl + "/", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal)
            || url.StartsWith("blob:", StringComparison.Ordinal), $"the page requested {url}"));
        Assert.Contains(requests, url => url == $"{host.BaseUrl}/openapi/v1.json");
        Assert.DoesNotContain(problems, p => p.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.NotFound)]     // outside Development: off unless configured
    [InlineData("true", HttpStatusCode.OK)]
    public async Task ReferencePage_OutsideDevelopment_IsServedOnlyWhenEnabled_WithItsOwnContentSecurityPolicy(string? enabled, HttpStatusCode expected)
    {
        await using var host = new ViewerHost(settings: enabled is null ? null : new Dictionary<string, string> { ["LowCodeTokens:ApiReference:Enabled"] = enabled });
        using var anonymous = host.Browser();

        var response = await anonymous.GetAsync("/scalar/");

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("connect-src 'self'", policy);
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.DoesNotContain("http", policy); // nothing from elsewhere
            Assert.Matches(@"script-src 'self' 'sha256-[A-Za-z0-9+/=]{44}';", policy); // the boot script by its hash, no 'unsafe-inline'
            Assert.DoesNotContain("unsafe-inline", policy.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)));
        }
    }
}
