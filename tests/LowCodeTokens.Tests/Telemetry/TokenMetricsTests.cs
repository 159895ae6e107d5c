using System.Diagnostics;
using System.Diagnostics.Metrics;
using LowCodeTokens.Engine.Telemetry;
using LowCodeTokens.Engine.Tokens;
using LowCodeTokens.Tests.Infrastructure;
using LowCodeTokens.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace LowCodeTokens.Tests.Telemetry;

/// <summary>Issue 13: the engine's metrics, read back from its meter (this container's only), not from logs.</summary>
public sealed class TokenMetricsTests
{
    [Fact]
    public async Task LoadPage_StormOf100WithExpiredToken_MetricsShowOneRefreshAnd99JoinedCallers()
    {
        var clock = TestClock.Create();
        var engine = EngineHarness.Create(time: clock);
        await using var app = await AuthApp.StartAsync(clock, engine: engine);
        Assert.All((await app.LoadAsync()).Actions, a => Assert.Equal("success", a.Status));
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        var meters = engine.Services.GetRequiredService<IMeterFactory>();
        using var refreshes = new MetricCollector<long>(meters, LowCodeTelemetry.MeterName, "lowcodetokens.token.refreshes");
        using var joined = new MetricCollector<long>(meters, LowCodeTelemetry.MeterName, "lowcodetokens.token.single_flight.joined");
        using var requests = new MetricCollector<long>(meters, LowCodeTelemetry.MeterName, "lowcodetokens.token.requests");
        using var pageLoads = new MetricCollector<double>(meters, LowCodeTelemetry.MeterName, "lowcodetokens.page_load.duration");
        // The token server holds its answer until the other 99 loads have joined the refresh in flight (30 s failsafe), so
        // that none of them comes late and finds the new token instead: the test counts joins, not timing luck.
        var held = Stopwatch.StartNew();
        app.Server.BeforeTokenAnswer = async () =>
        {
            while (Sum(joined) < 99 && held.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(10);
        };

        var loads = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => app.LoadAsync())));

        Assert.All(loads, l => Assert.All(l.Actions, a => Assert.True(a.Status == "success", $"{a.Name}: {a.Error}")));
        Assert.Equal(1, app.Server.TokenRequestsFor("refresh_token"));
        Assert.Equal(1, Sum(refreshes));
        Assert.Equal(99, Sum(joined));
        var refresh = Assert.Single(refreshes.GetMeasurementSnapshot());
        Assert.Equal("crm", refresh.Tags["app"]);
        Assert.Equal("Auth_Module", refresh.Tags["module"]);
        Assert.Equal("refresh_token", refresh.Tags["grant"]);
        var request = Assert.Single(requests.GetMeasurementSnapshot());
        Assert.Equal("success", request.Tags["outcome"]);
        Assert.Equal(100, pageLoads.GetMeasurementSnapshot().Count);
        // Tags are app, module, grant, outcome: never the scope (an end user) or a value.
        var allowed = new HashSet<string> { "app", "module", "grant", "outcome" };
        Assert.All(refreshes.GetMeasurementSnapshot().Concat(joined.GetMeasurementSnapshot()).Concat(requests.GetMeasurementSnapshot()),
            m => Assert.All(m.Tags.Keys, k => Assert.Contains(k, allowed)));

        // The same story in the app's lifecycle events: issued by the first load, then one refresh that rotated.
        var events = engine.Services.GetRequiredService<ITokenEventLog>().Query(AuthApp.App, new TokenEventQuery());
        Assert.Equal(["rotated", "refreshed", "issued"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(("Auth_Module", AuthApp.Scope), (e.Module, e.Scope)));
    }

    private static long Sum(MetricCollector<long> collector) => collector.GetMeasurementSnapshot().Sum(m => m.Value);
}
