using System.Text.Json.Nodes;
using LowCodeTokens.Engine;
using LowCodeTokens.Engine.Queries;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace LowCodeTokens.Tests.Tokens;

/// <summary>
/// The shipped <c>modules/auth</c> as an app's <c>Auth_Module</c>, in the real engine, with a <see cref="FakeTokenEndpoint"/>
/// in place of HTTP, a fake clock (scripts' <c>Date.now()</c> follows it) and the store's writes recorded.
/// Each call runs in a new session ("a new tab"): tests move the clock past the 30-minute session idle timeout.
/// </summary>
internal sealed class AuthModuleHarness : IAsyncDisposable
{
    public const string App = "auth-tests";
    public const string Scope = "app";
    public const string TokenUrl = "https://login.example.test/oauth2/token";

    public required EngineHarness Engine { get; init; }
    public required FakeTimeProvider Clock { get; init; }
    public required FakeTokenEndpoint Server { get; init; }
    public required RecordingAppStore Store { get; init; }
    /// <summary>Every <c>console.warn</c> of every call so far.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>The module with <c>tokenUrl</c>, <c>clientId</c> demo-client and <c>clientSecret</c> demo-secret, overridden by <paramref name="inputs"/>.</summary>
    public static async Task<AuthModuleHarness> StartAsync(JsonObject? inputs = null, Action<LowCodeEngineOptions>? configure = null)
    {
        var clock = TestClock.Create();
        var server = new FakeTokenEndpoint(clock);
        var engine = EngineHarness.Create(configure, time: clock, services: s =>
        {
            s.Replace(ServiceDescriptor.Singleton<IQueryExecutor>(server));
            RecordingAppStore.Decorate(s);
        });
        await AuthApp.PublishShippedModuleAsync(engine);
        var moduleInputs = new JsonObject { ["tokenUrl"] = TokenUrl, ["clientId"] = "demo-client", ["clientSecret"] = "demo-secret" };
        foreach (var (name, value) in inputs ?? []) moduleInputs[name] = value?.DeepClone();
        await engine.ImportAppAsync(new JsonObject
        {
            ["name"] = App,
            ["allowedHosts"] = new JsonArray(new Uri(TokenUrl).Authority), // the module's token URL
            ["modules"] = new JsonArray(new JsonObject { ["name"] = "Auth_Module", ["module"] = "Auth@1", ["inputs"] = moduleInputs }),
            ["pages"] = new JsonArray(new JsonObject { ["name"] = "Home" }),
        }.ToJsonString());
        return new AuthModuleHarness { Engine = engine, Clock = clock, Server = server, Store = (RecordingAppStore)engine.Store };
    }

    /// <summary>The clock in epoch milliseconds, as scripts' <c>Date.now()</c> reads it.</summary>
    public long Now => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Runs <c>Auth_Module.{function}</c> in a new session.</summary>
    public async Task<RunResult> CallAsync(string function)
    {
        var load = await Engine.Runtime.LoadPageAsync(App, "Home", Scope);
        var run = await Engine.RunAsync(App, load.SessionId, $"Auth_Module.{function}");
        Warnings.AddRange(run.Logs.Where(l => l.Level == "warn").Select(l => l.Text));
        return run;
    }

    /// <summary>The string <c>Auth_Module.{function}</c> resolves to; fails the test when it throws.</summary>
    public async Task<string> ValueAsync(string function)
    {
        var run = await CallAsync(function);
        Assert.True(run.Error is null, $"{function} failed: {run.Error?.Message}");
        return run.Result!.GetValue<string>();
    }

    public Task<string> GetAccessTokenAsync() => ValueAsync("getAccessToken");

    /// <summary>The message <c>Auth_Module.{function}</c> rejects with; fails the test when it succeeds.</summary>
    public async Task<string> ErrorAsync(string function = "getAccessToken")
    {
        var run = await CallAsync(function);
        Assert.True(run.Error is not null, $"{function} should have failed but returned {run.Result?.ToJsonString()}");
        return run.Error!.Message;
    }

    /// <summary>The persisted value under <paramref name="key"/>, or null when there is none.</summary>
    public async Task<JsonNode?> StoredAsync(string key) =>
        (await Engine.Store.ReadAsync(App, Scope)).Values.TryGetValue(key, out var json) ? JsonNode.Parse(json) : null;

    public async Task<string?> StoredStringAsync(string key) => (await StoredAsync(key))?.GetValue<string>();

    public async Task<long?> StoredNumberAsync(string key) => (await StoredAsync(key))?.GetValue<long>();

    /// <summary>Writes to the persisted store as another session or host replica does.</summary>
    public async Task StoreAsync(params (string Key, JsonNode Value)[] values) =>
        await Engine.Store.ApplyAsync(App, Scope, values.Select(v => StoreWrite.Set(v.Key, v.Value.ToJsonString())).ToArray());

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}
