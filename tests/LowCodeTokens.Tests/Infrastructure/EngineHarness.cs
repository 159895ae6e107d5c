using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Engine.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LowCodeTokens.Tests.Infrastructure;

/// <summary>
/// The real engine in a real DI container, over a fresh data directory, for engine tests: SQLite, or that directory's own
/// PostgreSQL database when the tests run on PostgreSQL (<see cref="TestStore"/>).
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public string DataDir { get; }
    public IAppCatalog Catalog => _services.GetRequiredService<IAppCatalog>();
    public IPageRuntime Runtime => _services.GetRequiredService<IPageRuntime>();
    public IScriptEngine ScriptEngine => _services.GetRequiredService<IScriptEngine>();
    public IAppStore Store => _services.GetRequiredService<IAppStore>();
    public IServiceProvider Services => _services;

    private EngineHarness(ServiceProvider services, string dataDir)
    {
        _services = services;
        DataDir = dataDir;
    }

    /// <param name="services">Runs after the engine's registrations: replaces services with fakes (a query executor, say).</param>
    public static EngineHarness Create(Action<LowCodeEngineOptions>? configure = null, TimeProvider? time = null, string? dataDir = null,
        Action<ILoggingBuilder>? logging = null, Action<IServiceCollection>? services = null)
    {
        dataDir ??= Directory.CreateTempSubdirectory("lct-engine-").FullName;
        var collection = new ServiceCollection();
        collection.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Warning);
            logging?.Invoke(b);
        });
        if (time is not null) collection.AddSingleton(time);
        collection.AddLowCodeEngine(configure: o =>
        {
            o.DataDir = dataDir;
            // The tests' upstreams listen on 127.0.0.1, which queries may reach only when the operator allows it.
            o.Queries.AllowLoopback = true;
            var store = TestStore.SettingsFor(dataDir);
            if (store.Count > 0)
            {
                o.Store.Provider = store["LowCodeTokens:Store:Provider"];
                o.Store.ConnectionString = store["LowCodeTokens:Store:ConnectionString"];
            }
            configure?.Invoke(o);
        });
        services?.Invoke(collection);
        return new EngineHarness(collection.BuildServiceProvider(), dataDir);
    }

    /// <summary>Publishes a module: <paramref name="moduleJson"/> is module.json without code; <paramref name="code"/> is main.js.</summary>
    public async Task PublishModuleAsync(string moduleJson, string code)
    {
        var node = JsonNode.Parse(moduleJson)!.AsObject();
        node["code"] = code;
        var result = await Catalog.PublishModuleAsync(node["name"]!.GetValue<string>(), node["version"]!.GetValue<string>(), node.ToJsonString());
        if (!result.WasSuccessful(out _, out var problems))
            throw new InvalidOperationException("publish failed: " + JsonSerializer.Serialize(problems));
    }

    public async Task ImportAppAsync(string appJson)
    {
        var name = JsonNode.Parse(appJson)!["name"]!.GetValue<string>();
        var result = await Catalog.ImportAppAsync(name, appJson);
        if (!result.WasSuccessful(out _, out var problems))
            throw new InvalidOperationException("import failed: " + JsonSerializer.Serialize(problems));
    }

    public async Task<RunResult> RunAsync(string app, string session, string action, string argsJson = "[]") =>
        await Runtime.RunAsync(app, session, action, argsJson) ?? throw new InvalidOperationException("session not found");

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
