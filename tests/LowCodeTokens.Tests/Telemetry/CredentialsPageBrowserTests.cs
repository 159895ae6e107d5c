using System.Net;
using LowCodeTokens.Tests.Infrastructure;
using LowCodeTokens.Tests.Tokens;
using LowCodeTokens.Tests.Viewer;
using Microsoft.Playwright;
using static LowCodeTokens.Tests.Host.PageLoadEndToEndTests;
using static Microsoft.Playwright.Assertions;

namespace LowCodeTokens.Tests.Telemetry;

/// <summary>Issue 13: the viewer's admin page shows credential health as a table, worst first (Debian chromium).</summary>
public sealed class CredentialsPageBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task CredentialsPage_AdminSignedIn_ShowsTheFailingCredentialAboveTheHealthyOne()
    {
        await using var oauth = await OAuthTestServer.StartNewAsync();
        await using var host = new ViewerHost();
        await ShippedAuthOverHttp.PublishAndImportAsync(host.Admin, AuthApp.Definition(oauth));
        Assert.Equal(HttpStatusCode.OK, (await host.Admin.PostAsync("/api/apps/crm/pages/Home/load", Json("""{ "scope": "happy" }"""))).StatusCode);
        oauth.Down = true;
        Assert.Equal(HttpStatusCode.OK, (await host.Admin.PostAsync("/api/apps/crm/pages/Home/load", Json("""{ "scope": "sad" }"""))).StatusCode);

        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{host.BaseUrl}/apps/crm/credentials?key={EngineHostFactoryKey}");
        Assert.DoesNotContain("key=", page.Url); // exchanged for the cookie and dropped from the address bar
        var rows = page.Locator("#credentials tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-scope", "sad");
        await Expect(rows.Nth(0).Locator("td").Nth(0)).ToHaveTextAsync("failing");
        await Expect(rows.Nth(0).Locator("td").Nth(7)).ToHaveTextAsync("1"); // failures in a row
        await Expect(rows.Nth(0).Locator("td").Nth(8)).Not.ToBeEmptyAsync(); // next attempt
        await Expect(rows.Nth(0).Locator("td").Nth(9)).ToContainTextAsync("HTTP 500");
        await Expect(rows.Nth(1)).ToHaveAttributeAsync("data-scope", "happy");
        await Expect(rows.Nth(1).Locator("td").Nth(0)).ToHaveTextAsync("ok");
        await Expect(rows.Nth(1).Locator("td").Nth(3)).ToHaveTextAsync("yes");
        Assert.DoesNotContain(oauth.ClientSecret, await page.ContentAsync());
        foreach (var token in oauth.IssuedTokens) Assert.DoesNotContain(token, await page.ContentAsync());

        // An app key opens the app's viewer, not its credential health.
        var appPage = await browser.NewPageAsync();
        var response = await appPage.GotoAsync($"{host.BaseUrl}/apps/crm/credentials?key={await host.AppKeyAsync("crm")}");
        Assert.Equal(403, response!.Status);
        await Expect(appPage.Locator("#credentials")).ToHaveCountAsync(0);
    }

    private const string EngineHostFactoryKey = LowCodeTokens.Tests.Host.EngineHostFactory.AdminKey;
}
