using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace LowCodeTokens.Tests.Tokens;

/// <summary>SPEC §5: no full token or secret in console output, log lines or API responses (widgets excepted, by design).</summary>
public sealed class NoTokenLeakTests
{
    [Fact]
    public async Task TokenLifecycle_LoadsRunsRefreshes401AndOutage_NoFullTokenInResultsOrLogs()
    {
        var clock = TestClock.Create();
        var logs = new CapturingLoggerProvider();
        var engine = EngineHarness.Create(time: clock, logging: b => { b.AddProvider(logs); b.SetMinimumLevel(LogLevel.Trace); });
        await using var app = await AuthApp.StartAsync(clock, s => s.AccessTokenLifetime = TimeSpan.FromSeconds(60), engine: engine);
        var captured = new List<string>();
        var secrets = new HashSet<string> { app.Server.ClientSecret };
        async Task Remember()
        {
            foreach (var (key, json) in (await app.Engine.Store.ReadAsync(AuthApp.App, AuthApp.Scope)).Values)
                if (key is "authAccessToken" or "authRefreshToken") secrets.Add(JsonSerializer.Deserialize<string>(json)!);
        }
        void Capture(IReadOnlyList<ActionReport> actions, IEnumerable<Engine.Scripting.ScriptLog> consoleLogs, string? error = null)
        {
            captured.Add(JsonSerializer.Serialize(actions));
            captured.AddRange(consoleLogs.Select(l => l.Text));
            if (error is not null) captured.Add(error);
        }

        var load = await app.LoadAsync();
        Capture(load.Actions, load.Logs);
        await Remember();
        var tokenReport = Assert.Single(load.Actions, a => a.Name == "Auth_Module.getAccessToken");
        Assert.EndsWith("…(masked)", tokenReport.Data!.GetValue<string>());

        app.Server.RevokeAccessTokens(); // 401 → forced refresh → re-run
        var rerun = await app.LoadAsync();
        Capture(rerun.Actions, rerun.Logs);
        await Remember();
        Assert.Contains(rerun.Actions, a => a.Name == "getusers_API" && a.Status == "success");

        var run = await app.RunAsync(rerun.SessionId, "getusers_API");
        Capture(run.Actions, run.Logs, run.Error?.Message);

        app.Server.Down = true; // served while valid (a console warning), then an error naming the server's answer
        app.Advance(TimeSpan.FromSeconds(50));
        var warned = await app.LoadAsync();
        Capture(warned.Actions, warned.Logs);
        Assert.Contains(warned.Logs, l => l.Level == "warn");
        app.Advance(TimeSpan.FromSeconds(30));
        var failed = await app.RunAsync(warned.SessionId, "Auth_Module.getAccessToken");
        Capture(failed.Actions, failed.Logs, failed.Error?.Message);
        Assert.NotNull(failed.Error);
        foreach (var r in app.Server.TokenRequestLog)
            if (r.Form.TryGetValue("refresh_token", out var rt)) secrets.Add(rt);

        captured.AddRange(logs.Lines);
        Assert.True(secrets.Count >= 5, $"only {secrets.Count} secrets collected");
        foreach (var secret in secrets)
            foreach (var text in captured)
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"'{secret[..4]}…' appears in: {text[..Math.Min(300, text.Length)]}");
    }
}
