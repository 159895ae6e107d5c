using System.Net;

namespace LowCodeTokens.Tests.Capacity;

/// <summary>Issue 15 item 10 over HTTP: page loads and action runs are rate limited per key, each key in its own bucket.</summary>
public sealed class KeyRateLimitTests
{
    private const int Burst = 3;

    private static Task<CapacityHost> StartAsync() => CapacityHost.StartAsync(new Dictionary<string, string>
    {
        ["LowCodeTokens:RateLimits:Loads:Burst"] = $"{Burst}",
        ["LowCodeTokens:RateLimits:Loads:PerSecond"] = "1",
        ["LowCodeTokens:RateLimits:Runs:Burst"] = $"{Burst}",
        ["LowCodeTokens:RateLimits:Runs:PerSecond"] = "1",
    });

    [Fact]
    public async Task Load_PastOneKeysLimit_Gets429WithRetryAfterWhileAnotherKeyOfTheSameAppStillLoads()
    {
        await using var host = await StartAsync();
        using var busy = host.Client(await host.IssueKeyAsync());
        using var quiet = host.Client(await host.IssueKeyAsync());

        var loads = await Task.WhenAll(Enumerable.Range(0, Burst + 3).Select(_ => CapacityHost.LoadAsync(busy)));

        // The bucket refills once a second: a refill falling inside the burst may admit one more.
        Assert.InRange(loads.Count(r => r.StatusCode == HttpStatusCode.OK), Burst, Burst + 1);
        Assert.All(loads.Where(r => r.StatusCode != HttpStatusCode.OK), AssertRefused);
        Assert.Equal(HttpStatusCode.OK, (await CapacityHost.LoadAsync(quiet)).StatusCode);
    }

    [Fact]
    public async Task Run_PastOneKeysLimit_Gets429WithRetryAfterWhileAnotherKeyStillRuns()
    {
        await using var host = await StartAsync();
        using var busy = host.Client(await host.IssueKeyAsync());
        var session = await CapacityHost.SessionIdOf(await CapacityHost.LoadAsync(busy));

        var runs = await Task.WhenAll(Enumerable.Range(0, Burst + 3).Select(_ => CapacityHost.RunAsync(busy, session)));

        // The bucket refills once a second: a refill falling inside the burst may admit one more.
        Assert.InRange(runs.Count(r => r.StatusCode == HttpStatusCode.OK), Burst, Burst + 1);
        Assert.All(runs.Where(r => r.StatusCode != HttpStatusCode.OK), AssertRefused);
        // The admin key has a bucket of its own, even in the same session.
        Assert.Equal(HttpStatusCode.OK, (await CapacityHost.RunAsync(host.Admin, session)).StatusCode);
    }

    private static void AssertRefused(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(int.TryParse(Assert.Single(response.Headers.GetValues("Retry-After")), out var seconds) && seconds >= 1,
            "Retry-After must be a whole number of seconds, at least 1");
    }
}
