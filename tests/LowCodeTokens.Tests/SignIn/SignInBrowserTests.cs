using System.Collections.Concurrent;
using LowCodeTokens.Tests.Viewer;
using Microsoft.Playwright;

namespace LowCodeTokens.Tests.SignIn;

/// <summary>
/// Issue 12 in Debian chromium: visitors of an app with <c>signIn</c> go to the provider, sign in, and see their own data,
/// fetched with their own token, which never reaches the browser.
/// </summary>
public sealed class SignInBrowserTests : IAsyncLifetime
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(BrowserFixture.ChromiumPath))
            throw new InvalidOperationException($"{BrowserFixture.ChromiumPath} is missing: apt-get install -y chromium (.ci/run does).");
        _playwright = await Playwright.CreateAsync();
        // Two users at once need two contexts of one browser (separate cookies and storage), not the fixture's one persistent context.
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    [Fact]
    public async Task SignIn_AliceAndBobInTwoContexts_EachSeesOwnDataAndNoTokenReachesTheBrowser()
    {
        await using var host = await SignInHost.StartAsync();
        await using var alice = await Visitor.OpenAsync(_browser);
        await using var bob = await Visitor.OpenAsync(_browser);

        await host.SignInAsync(alice.Page, "alice");
        await host.SignInAsync(bob.Page, "bob");

        var aliceTable = await alice.Page.InnerTextAsync("[data-widget=Items]");
        Assert.Contains("Invoice A-1001 (alice)", aliceTable);
        Assert.DoesNotContain("(bob)", aliceTable);
        Assert.Contains("Items of alice", await alice.Page.InnerTextAsync("[data-widget=Owner]"));
        var bobTable = await bob.Page.InnerTextAsync("[data-widget=Items]");
        Assert.Contains("Order B-314 (bob)", bobTable);
        Assert.DoesNotContain("(alice)", bobTable);

        // The tokens exist, on the server, in each user's own scope.
        var tokens = (await host.TokensOfAsync("alice")).Concat(await host.TokensOfAsync("bob")).ToList();
        Assert.Equal(4, tokens.Count);
        Assert.NotEqual(host.ScopeOf("alice"), host.ScopeOf("bob"));

        foreach (var visitor in new[] { alice, bob })
        {
            var seen = await visitor.EverythingSeenAsync();
            foreach (var token in tokens) Assert.DoesNotContain(token, seen);
            var session = Assert.Single(await visitor.Context.CookiesAsync(), c => c.Name == "lct_user");
            Assert.True(session.HttpOnly);
            Assert.Equal("/apps/portal", session.Path);
            Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        }
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    /// <summary>One browser context and its page, recording the body of every response the page received.</summary>
    internal sealed class Visitor : IAsyncDisposable
    {
        private readonly ConcurrentBag<Task<string>> _bodies = [];

        private Visitor(IBrowserContext context, IPage page)
        {
            Context = context;
            Page = page;
            page.Response += (_, response) => _bodies.Add(BodyAsync(response));
        }

        public IBrowserContext Context { get; }
        public IPage Page { get; }

        public static async Task<Visitor> OpenAsync(IBrowser browser)
        {
            var context = await browser.NewContextAsync();
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(20_000);
            return new Visitor(context, page);
        }

        /// <summary>Every response body, the DOM, the cookies' values, localStorage and sessionStorage, as one text.</summary>
        public async Task<string> EverythingSeenAsync()
        {
            var bodies = await Task.WhenAll(_bodies);
            var dom = await Page.ContentAsync();
            var storage = await Page.EvaluateAsync<string>("() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })");
            var cookies = string.Join("\n", (await Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
            Assert.NotEmpty(bodies);
            return string.Join("\n", bodies) + dom + storage + cookies;
        }

        private static async Task<string> BodyAsync(IResponse response)
        {
            try
            {
                return await response.TextAsync();
            }
            catch (PlaywrightException)
            {
                return ""; // a redirect has no body to read
            }
        }

        public async ValueTask DisposeAsync() => await Context.DisposeAsync();
    }
}
