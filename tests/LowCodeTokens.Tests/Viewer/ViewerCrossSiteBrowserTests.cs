using System.Collections.Concurrent;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LowCodeTokens.Tests.Viewer;

/// <summary>
/// Issue 15 item 8 in Chromium: a page served from another port of 127.0.0.1 (another origin, but the same site, so the
/// SameSite=Strict viewer cookie goes along) posts to the viewer's load route. The host sees the cookie and loads nothing.
/// </summary>
public sealed class ViewerCrossSiteBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task PageOnAnotherOrigin_PostingToTheLoadRouteWithTheViewerCookie_LoadsNothing()
    {
        await using var oauth = await OAuthTestServer.StartNewAsync();
        var seen = new ConcurrentQueue<(string Path, bool HadCookie, int Status)>();
        await using var host = new ViewerHost(s => s.AddSingleton<IStartupFilter>(new RecordRequests(seen)));
        await PageLoadEndToEndTests.PublishAndImportAsync(host.Admin, PageLoadEndToEndTests.SpecApp(oauth));
        var load = $"{host.BaseUrl}/apps/crm/viewer/pages/Home/load";
        await using var attacker = await TestApiServer.StartAsync();
        attacker.MapContent("GET", "/", $$"""
            <!doctype html><html><body>
            <form id="form" method="post" enctype="text/plain" action="{{load}}"><input name='{"x":"' value='"}'></form>
            <script>
            (async () => {
              for (const init of [
                { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: '{}' },
                { method: 'POST', mode: 'no-cors', credentials: 'include' },
              ]) { try { await fetch('{{load}}', init); } catch { } }
              document.title = 'sent';
            })();
            </script></body></html>
            """, "text/html; charset=utf-8");

        // The victim signed in to the viewer earlier: one legitimate page load.
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{host.PageUrl("crm", "Home")}?key={Uri.EscapeDataString(await host.AppKeyAsync("crm"))}");
        await page.WaitForSelectorAsync("body[data-state=loaded]");
        Assert.Equal(1, oauth.ApiRequests);

        // Then visits the other origin's page: two fetches, then a form navigation.
        await page.GotoAsync(attacker.Url("/"));
        await page.WaitForFunctionAsync("() => document.title === 'sent'");
        var submitted = await page.RunAndWaitForResponseAsync(() => page.EvaluateAsync("document.getElementById('form').submit()"), load);

        var attacks = seen.Where(r => r.Path == "/apps/crm/viewer/pages/Home/load").Skip(1).ToList(); // after the victim's own load
        Assert.Equal(3, attacks.Count);
        Assert.All(attacks, a => Assert.True(a.HadCookie, "the browser sent the viewer cookie along"));
        Assert.All(attacks, a => Assert.Equal(StatusCodes.Status403Forbidden, a.Status));
        Assert.Equal(403, submitted.Status);
        Assert.Equal(1, oauth.ApiRequests); // no page load ran for the other origin
    }

    /// <summary>Records each request's path, whether it carried the viewer cookie, and its status, outside the host's pipeline.</summary>
    private sealed class RecordRequests(ConcurrentQueue<(string Path, bool HadCookie, int Status)> seen) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                await inner(context);
                seen.Enqueue((context.Request.Path, context.Request.Cookies.ContainsKey("lct_viewer"), context.Response.StatusCode));
            });
            next(app);
        };
    }
}
