using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Host;
using Microsoft.Extensions.DependencyInjection;

namespace LowCodeTokens.Tests.Capacity;

/// <summary>The real host and engine on Kestrel at 127.0.0.1 with the given settings, with one small app (<c>cap</c>) imported.</summary>
internal sealed class CapacityHost : IAsyncDisposable
{
    public const string App = "cap";

    private readonly string _dataDir = Directory.CreateTempSubdirectory("lct-capacity-").FullName;
    private readonly EngineHostFactory _factory;

    private CapacityHost(IDictionary<string, string> settings)
    {
        _factory = new EngineHostFactory(_dataDir, settings: settings);
        BaseUri = new Uri(_factory.StartOnKestrel());
        Admin = Client(EngineHostFactory.AdminKey);
    }

    public Uri BaseUri { get; }

    public HttpClient Admin { get; }

    public static async Task<CapacityHost> StartAsync(IDictionary<string, string> settings)
    {
        var host = new CapacityHost(settings);
        var imported = await host.Admin.PutAsync($"/api/apps/{App}", Json("""
            { "name": "cap", "pages": [ { "name": "Home",
              "jsObjects": [ { "name": "JSObject1", "code": "export default { hi: () => 'hi' }" } ] } ] }
            """));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        return host;
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = BaseUri };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public async Task<string> IssueKeyAsync()
    {
        var response = await Admin.PostAsync($"/api/apps/{App}/keys", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
    }

    public static Task<HttpResponseMessage> LoadAsync(HttpClient client) => client.PostAsync($"/api/apps/{App}/pages/Home/load", Json("{}"));

    public static Task<HttpResponseMessage> RunAsync(HttpClient client, string sessionId) =>
        client.PostAsync($"/api/apps/{App}/sessions/{sessionId}/run", Json("""{ "action": "JSObject1.hi" }"""));

    public static async Task<string> SessionIdOf(HttpResponseMessage load) =>
        JsonNode.Parse(await load.Content.ReadAsStringAsync())!["sessionId"]!.GetValue<string>();

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _factory.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
