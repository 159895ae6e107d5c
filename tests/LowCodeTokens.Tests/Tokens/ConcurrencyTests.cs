using System.Diagnostics;
using LowCodeTokens.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LowCodeTokens.Tests.Tokens;

/// <summary>SPEC §4 "Single flight": many simultaneous page loads with an expired token cause exactly one refresh.</summary>
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task LoadPage_200ConcurrentWithExpiredToken_OneRefreshAllSucceedWithNewToken()
    {
        var clock = TestClock.Create();
        // A slow token server widens the window in which loads pile up on the refresh.
        // 200 open sessions cost ~0.3 MB of script heap each (page + module context, measured): more than the
        // default 64 MB per app holds.
        var engine = EngineHarness.Create(o => o.Scripting.MemoryLimitMb = 256, clock);
        await using var app = await AuthApp.StartAsync(clock, s => s.TokenDelay = TimeSpan.FromMilliseconds(200), engine: engine);
        Assert.True((await app.LoadAsync()).Actions.All(a => a.Status == "success"));
        var old = await app.StoredStringAsync("authAccessToken");
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.False(app.Server.IsAccessTokenValid(old)); // the API would answer 401 to the old token
        var apiBefore = app.Server.ApiRequests;

        var watch = Stopwatch.StartNew();
        var loads = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => app.LoadAsync())));
        watch.Stop();
        output.WriteLine($"200 concurrent page loads: {watch.ElapsedMilliseconds} ms");

        output.WriteLine(string.Join(", ", app.Server.TokenRequestLog.Select(r => $"{r.GrantType}@{r.At:HH:mm:ss.fff}")));
        Assert.Equal(1, app.Server.TokenRequestsFor("refresh_token"));
        Assert.Equal(2, app.Server.TokenRequests);
        Assert.Equal(0, app.Server.ReuseRejections);
        Assert.All(loads, l =>
        {
            Assert.All(l.Actions, a => Assert.True(a.Status == "success", $"{a.Name}: {a.Error}"));
            Assert.Equal(3, l.Widgets["Table1"]!["tableData"]!.AsArray().Count);
        });
        // Every API call carried a valid token (the old one is expired) and none was re-run after a 401.
        Assert.Equal(200, app.Server.ApiRequests - apiBefore);
        var fresh = await app.StoredStringAsync("authAccessToken");
        Assert.NotEqual(old, fresh);
        Assert.True(app.Server.IsAccessTokenValid(fresh));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }
}
