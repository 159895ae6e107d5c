using Microsoft.Playwright;

namespace LowCodeTokens.Tests.Viewer;

/// <summary>
/// One headless Debian chromium (<c>/usr/bin/chromium</c>, installed by <c>.ci/run</c>; never downloaded by Playwright)
/// for a test class; each test gets its own browser context (fresh cookies and storage).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _userDataDir = Directory.CreateTempSubdirectory("lct-chromium-").FullName;
    private IPlaywright? _playwright;

    public IBrowserContext Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y chromium (.ci/run does).");
        _playwright = await Playwright.CreateAsync();
        // A persistent context is the only way to give chromium its own user data directory; tests clear it between uses.
        Browser = await _playwright.Chromium.LaunchPersistentContextAsync(_userDataDir, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh page with no cookies from earlier tests.</summary>
    public async Task<IPage> NewPageAsync()
    {
        await Browser.ClearCookiesAsync();
        foreach (var open in Browser.Pages.ToList()) await open.CloseAsync();
        var page = await Browser.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        try { Directory.Delete(_userDataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
