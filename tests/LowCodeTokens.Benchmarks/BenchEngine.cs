using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Engine.Scripting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LowCodeTokens.Benchmarks;

/// <summary>The real engine in a DI container over a temp data dir (the idea of the tests' EngineHarness).</summary>
public sealed class BenchEngine : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    public string DataDir { get; }
    public IServiceProvider Services => _services;
    public IAppCatalog Catalog => _services.GetRequiredService<IAppCatalog>();
    public IPageRuntime Runtime => _services.GetRequiredService<IPageRuntime>();
    public IScriptEngine ScriptEngine => _services.GetRequiredService<IScriptEngine>();
    public LowCodeTokens.Engine.Storage.IAppStore Store => _services.GetRequiredService<LowCodeTokens.Engine.Storage.IAppStore>();

    private BenchEngine(ServiceProvider services, string dataDir) { _services = services; DataDir = dataDir; }

    public static BenchEngine Create(Action<LowCodeEngineOptions>? configure = null, TimeProvider? time = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("lct-bench-").FullName;
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Error));
        if (time is not null) services.AddSingleton(time);
        // Throughput suites open sessions far faster than people do: the cap closes any of them not in a request (issue 15's
        // 5-minute protection of recent sessions would refuse these loads instead, which is not what the suites measure).
        services.AddLowCodeEngine(configure: o => { o.DataDir = dataDir; o.Queries.AllowLoopback = true; o.Sessions.EvictableAfter = TimeSpan.Zero; configure?.Invoke(o); });
        return new BenchEngine(services.BuildServiceProvider(), dataDir);
    }

    /// <summary>Publishes the shipped modules/auth at the version its module.json names.</summary>
    public async Task PublishAuthAsync()
    {
        var dir = Path.Combine(Repo.Root, "modules", "auth");
        var node = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "module.json")))!.AsObject();
        node["code"] = await File.ReadAllTextAsync(Path.Combine(dir, "main.js"));
        var result = await Catalog.PublishModuleAsync("Auth", node["version"]!.GetValue<string>(), node.ToJsonString());
        if (!result.WasSuccessful(out _, out var problems)) throw new InvalidOperationException("publish: " + JsonSerializer.Serialize(problems));
    }

    public async Task ImportAsync(string appJson)
    {
        var name = JsonNode.Parse(appJson)!["name"]!.GetValue<string>();
        var result = await Catalog.ImportAppAsync(name, appJson);
        if (!result.WasSuccessful(out _, out var problems)) throw new InvalidOperationException("import: " + JsonSerializer.Serialize(problems));
    }

    /// <summary>An app whose page runs <paramref name="queries"/> queries on load, each with <c>Authorization: JWT {{Auth_Module.getAccessToken.data}}</c>.</summary>
    public static string TokenApp(string name, BenchServer server, int queries = 1)
    {
        var qs = new JsonArray();
        for (int i = 0; i < queries; i++)
            qs.Add(new JsonObject
            {
                ["name"] = $"getusers{i}", ["datasource"] = "api", ["method"] = "GET", ["url"] = "/api/users",
                ["headers"] = new JsonObject { ["Authorization"] = "JWT {{Auth_Module.getAccessToken.data}}" },
                ["runOnPageLoad"] = true, ["onUnauthorized"] = "Auth_Module.refreshAccessToken",
            });
        return new JsonObject
        {
            ["name"] = name,
            ["allowedHosts"] = new JsonArray(server.HostPort), // the module's token URL
            ["modules"] = new JsonArray(new JsonObject
            {
                ["name"] = "Auth_Module", ["module"] = "Auth@1",
                ["inputs"] = new JsonObject { ["tokenUrl"] = server.BaseUrl + "/token", ["clientId"] = "bench", ["clientSecret"] = "bench-secret" },
            }),
            ["datasources"] = new JsonArray(new JsonObject { ["name"] = "api", ["baseUrl"] = server.BaseUrl, ["allowedHosts"] = new JsonArray(server.HostPort) }),
            ["pages"] = new JsonArray(new JsonObject { ["name"] = "Home", ["queries"] = qs }),
        }.ToJsonString();
    }

    public static bool AllSucceeded(PageLoadResult r) => r.Actions.Count > 0 && r.Actions.All(a => a.Status == "success");

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public static class Repo
{
    public static string Root { get; } = Find();
    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LowCodeTokens.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}

/// <summary>The system clock plus an offset the storm suite moves forward to expire tokens.</summary>
public sealed class ShiftedTime : TimeProvider
{
    private long _offsetTicks;
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
}
