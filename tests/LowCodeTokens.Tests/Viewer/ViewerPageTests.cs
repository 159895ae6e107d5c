using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Host.Demo;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LowCodeTokens.Tests.Viewer;

/// <summary>Issue 6 acceptance: the viewer in Debian's chromium against the real host and engine on Kestrel.</summary>
public sealed class ViewerPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>Where the demo screenshot goes: <c>TestResults/viewer-demo.png</c> beside the test assembly (bin/ is not in git).</summary>
    public static readonly string ScreenshotPath = Path.Combine(AppContext.BaseDirectory, "TestResults", "viewer-demo.png");

    [Fact]
    public async Task DemoPage_RendersTheUsersTableTextAndActions_AndWritesAScreenshot()
    {
        await using var demo = await DemoServers.StartAsync(CancellationToken.None);
        await using var host = new ViewerHost();
        // As `dotnet run --project host` does: the definitions folder copied beside the host, with the demo servers' URLs.
        var loaded = await host.Services.GetRequiredService<DefinitionFolderLoader>()
            .LoadAsync(Path.Combine(AppContext.BaseDirectory, "definitions"), demo.Variables);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Problems));
        var page = await OpenAsync(host, await host.AppKeyAsync("crm"));

        var table = page.Locator("[data-widget=Table1] table");
        await Expect(table.Locator("thead th")).ToHaveTextAsync(["#", "id", "name", "email"]);
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(5);
        await Expect(table.Locator("tbody tr").First).ToContainTextAsync("Ada Lovelace");
        await Expect(page.Locator("[data-widget=Text1] .text-value")).ToHaveTextAsync("5 users");
        await Expect(page.Locator("[data-action=getusers_API]")).ToContainTextAsync("layer 1");
        await Expect(page.Locator("[data-action='Auth_Module.getAccessToken']")).ToContainTextAsync("layer 0");
        await Expect(page.Locator(".pill-error")).ToHaveCountAsync(0);

        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true });
        Assert.True(new FileInfo(ScreenshotPath).Length > 10_000);

        await page.Locator("[data-widget=Button1] button").ClickAsync();
        await Expect(page.Locator(".action-group h3").First).ToHaveTextAsync("Button1.onClick");
        await Expect(page.Locator("[data-widget=Button1] .run-status")).ToHaveTextAsync("Done");
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(5);
    }

    [Fact]
    public async Task TokenButton_UpdatesTheMaskedText_AndNoTokenReachesTheBrowser()
    {
        var clock = TestClock.Create(DateTimeOffset.UtcNow);
        await using var oauth = await OAuthTestServer.StartNewAsync(clock);
        oauth.AccessTokenLifetime = TimeSpan.FromMinutes(10);
        await using var host = new ViewerHost(s => s.AddSingleton<TimeProvider>(clock));
        await PageLoadEndToEndTests.PublishAndImportAsync(host.Admin, SpecAppWith(oauth, widgets:
        [
            new JsonObject { ["name"] = "TokenButton", ["type"] = "button", ["label"] = "Get token", ["onClick"] = "{{Auth_Module.getAccessToken()}}" },
            // The app deliberately shows a masked view: six characters of the token's tail.
            new JsonObject { ["name"] = "TokenText", ["type"] = "text", ["text"] = "{{'token …' + (Auth_Module.getAccessToken.data || '').slice(-7, -1)}}" },
        ]));

        var responses = new ConcurrentBag<Task<string>>();
        var page = await browser.NewPageAsync();
        page.Response += (_, response) => responses.Add(DescribeAsync(response));
        await OpenAsync(host, await host.AppKeyAsync("crm"), page);

        var text = page.Locator("[data-widget=TokenText] .text-value");
        await Expect(text).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^token ….{6}$"));
        var before = await text.TextContentAsync();

        clock.Advance(TimeSpan.FromMinutes(10.5)); // the token expired: the click must fetch a new one
        await page.Locator("[data-widget=TokenButton] button").ClickAsync();
        await Expect(text).Not.ToHaveTextAsync(before!);
        await Expect(text).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^token ….{6}$"));
        await Expect(page.Locator("[data-widget=TokenText]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("changed"));
        Assert.Equal(2, oauth.TokenRequests);

        var tokens = oauth.IssuedTokens;
        Assert.Equal(2, tokens.Count(t => t.StartsWith("eyJ", StringComparison.Ordinal)));
        var seen = await Task.WhenAll(responses);
        Assert.Contains(seen, s => s.Contains("/viewer/sessions/", StringComparison.Ordinal));
        var storage = await page.EvaluateAsync<string>("() => JSON.stringify([document.cookie, { ...localStorage }, { ...sessionStorage }])");
        var dom = await page.ContentAsync();
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(seen, s => s.Contains(token, StringComparison.Ordinal));
            Assert.DoesNotContain(token, dom, StringComparison.Ordinal);
            Assert.DoesNotContain(token, storage, StringComparison.Ordinal);
        }
        Assert.Equal("""["",{},{}]""", storage);
    }

    [Fact]
    public async Task FailingQuery_ShowsItsErrorBesideIt_AndTheRestOfThePageRenders()
    {
        await using var oauth = await OAuthTestServer.StartNewAsync();
        await using var broken = await TestApiServer.StartAsync();
        broken.MapJson("GET", "/api/orders", """{ "error": "database unavailable" }""", statusCode: 500);
        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        await using var host = new ViewerHost();
        var app = JsonNode.Parse(SpecAppWith(oauth, widgets:
        [
            new JsonObject { ["name"] = "Orders", ["type"] = "table", ["tableData"] = "{{getorders_API.data.results}}" },
            new JsonObject { ["name"] = "Text1", ["type"] = "text", ["text"] = "{{getusers_API.data.results.length}} users" },
        ]))!;
        app["datasources"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "orders_api", ["baseUrl"] = broken.Url(""), ["allowedHosts"] = new JsonArray(broken.HostPort),
        });
        app["pages"]![0]!["queries"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "getorders_API", ["datasource"] = "orders_api", ["method"] = "GET", ["url"] = "/api/orders",
        });
        await PageLoadEndToEndTests.PublishAndImportAsync(host.Admin, app.ToJsonString());

        // Signed in through the form this time: the key never appears in a URL.
        var page = await browser.NewPageAsync();
        var signIn = await page.GotoAsync(host.PageUrl("crm", "Home"));
        Assert.Equal(401, signIn!.Status);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetDirectoryName(ScreenshotPath)!, "viewer-sign-in.png") });
        await page.Locator("input[name=key]").FillAsync(await host.AppKeyAsync("crm"));
        await page.Locator("form button[type=submit]").ClickAsync();
        await page.WaitForSelectorAsync("body[data-state=loaded]");
        Assert.Equal(host.PageUrl("crm", "Home"), page.Url);

        var failed = page.Locator("[data-action=getorders_API]");
        await Expect(failed).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("failed"));
        await Expect(failed.Locator(".pill")).ToHaveTextAsync("error");
        await Expect(failed.Locator(".action-error")).ToContainTextAsync("500");
        await Expect(page.Locator("[data-widget=Table1] tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-widget=Text1] .text-value")).ToHaveTextAsync("3 users");
        await Expect(page.Locator("[data-widget=Orders]")).ToBeVisibleAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("1 failed");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetDirectoryName(ScreenshotPath)!, "viewer-failing-query.png"), FullPage = true });
    }

    // ---- helpers ----

    private async Task<IPage> OpenAsync(ViewerHost host, string key, IPage? page = null)
    {
        page ??= await browser.NewPageAsync();
        var errors = new ConcurrentQueue<string>();
        page.PageError += (_, e) => errors.Enqueue(e);
        await page.GotoAsync($"{host.PageUrl("crm", "Home")}?key={Uri.EscapeDataString(key)}");
        Assert.Equal(host.PageUrl("crm", "Home"), page.Url); // the key left the address bar
        await page.WaitForSelectorAsync("body[data-state=loaded]");
        Assert.Empty(errors);
        return page;
    }

    /// <summary>A response as text: URL, status, headers and body, so a token anywhere in it is found.</summary>
    private static async Task<string> DescribeAsync(IResponse response)
    {
        var headers = string.Join("\n", (await response.AllHeadersAsync()).Select(h => $"{h.Key}: {h.Value}"));
        string body;
        try { body = await response.TextAsync(); }
        catch (PlaywrightException e) { body = $"(no body: {e.Message})"; } // redirects have none
        return $"{response.Status} {response.Url}\n{headers}\n\n{body}";
    }

    private static string SpecAppWith(OAuthTestServer oauth, JsonObject[] widgets)
    {
        var app = JsonNode.Parse(PageLoadEndToEndTests.SpecApp(oauth))!;
        var list = app["pages"]![0]!["widgets"]!.AsArray();
        foreach (var widget in widgets) list.Add(widget);
        return app.ToJsonString();
    }
}
