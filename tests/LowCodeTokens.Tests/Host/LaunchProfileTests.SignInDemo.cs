using LowCodeTokens.Tests.Viewer;
using Microsoft.Playwright;

namespace LowCodeTokens.Tests.Host;

public sealed partial class LaunchProfileTests
{
    /// <summary>Issue 12: <c>dotnet run --project host</c>, open the demo's <c>portal</c> page, sign in as alice, see her data.</summary>
    [Fact]
    public async Task DotnetRun_DemoPortal_AliceSignsInAtTheDemoProviderAndSeesHerData()
    {
        await using var host = await DotnetRun.StartAsync(_dataDir, new());
        // The provider accepts the app's redirect URI once the host has told it the address it listens on.
        for (int i = 0; i < 300 && !host.Output.Contains("Demo sign-in ready", StringComparison.Ordinal); i++) await Task.Delay(100);
        Assert.Contains("Demo sign-in ready", host.Output);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-quic"],
        });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var pageUrl = host.Url + "/apps/portal/pages/Home";

        await page.GotoAsync(pageUrl);
        Assert.Contains("Demo identity provider", await page.ContentAsync());
        await page.FillAsync("input[name=username]", "alice");
        await page.FillAsync("input[name=password]", "alice");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(pageUrl);
        await page.WaitForSelectorAsync("body[data-state=loaded]");

        var items = await page.InnerTextAsync("[data-widget=Items]");
        Assert.Contains("Invoice A-1001 (alice)", items);
        Assert.DoesNotContain("(bob)", items);
        Assert.Equal("alice", await page.InnerTextAsync("#user"));
    }
}
