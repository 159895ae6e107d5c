using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Host;
using Microsoft.Extensions.DependencyInjection;

namespace LowCodeTokens.Tests.Viewer;

/// <summary>The real host and engine on Kestrel at 127.0.0.1 (a browser needs a socket), over a temporary data directory.</summary>
internal sealed class ViewerHost : IAsyncDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lct-viewer-").FullName;
    private readonly EngineHostFactory _factory;

    public ViewerHost(Action<IServiceCollection>? configureServices = null, IDictionary<string, string>? settings = null)
    {
        _factory = new EngineHostFactory(_dataDir, configureServices, settings);
        BaseUrl = _factory.StartOnKestrel();
        Admin = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        Admin.DefaultRequestHeaders.Add("X-Api-Key", EngineHostFactory.AdminKey);
    }

    public string BaseUrl { get; }

    public HttpClient Admin { get; }

    /// <summary>The host's services (its store, its definitions folder loader).</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>A client that shows what a browser would be sent: redirects not followed, cookies handled by the test.</summary>
    public HttpClient Browser() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl) };

    public string PageUrl(string app, string page) => $"{BaseUrl}/apps/{app}/pages/{page}";

    /// <summary>Issues a key for <paramref name="app"/> through the admin API.</summary>
    public async Task<string> AppKeyAsync(string app)
    {
        var response = await Admin.PostAsync($"/api/apps/{app}/keys", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _factory.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
