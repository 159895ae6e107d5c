using System.Net;

namespace LowCodeTokens.Tests.Capacity;

/// <summary>Issue 15 item 10 over HTTP: a burst of loads at the session cap is refused (429), not served by closing someone's open page.</summary>
public sealed class SessionCapTests
{
    [Fact]
    public async Task LoadBurst_AtTheSessionCap_Gets429WithRetryAfterAndAnOpenRecentSessionSurvives()
    {
        const int cap = 5;
        await using var host = await CapacityHost.StartAsync(new Dictionary<string, string>
        {
            ["LowCodeTokens:Sessions:MaxPerApp"] = $"{cap}",
            ["LowCodeTokens:RateLimits:Loads:Burst"] = "0", // this test is about the cap, not the rate limit
        });
        using var user = host.Client(await host.IssueKeyAsync());
        using var attacker = host.Client(await host.IssueKeyAsync());
        var open = await CapacityHost.LoadAsync(user);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        var sessionId = await CapacityHost.SessionIdOf(open);

        var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => CapacityHost.LoadAsync(attacker)));

        // The cap admits the loads it has room for; the rest are refused with a time to come back, none failed otherwise.
        Assert.Equal(cap - 1, burst.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(40 - (cap - 1), refused.Count);
        Assert.All(refused, r =>
        {
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            Assert.True(int.TryParse(Assert.Single(r.Headers.GetValues("Retry-After")), out var seconds) && seconds >= 1,
                "Retry-After must be a whole number of seconds, at least 1");
        });
        // The page the user has open still works.
        Assert.Equal(HttpStatusCode.OK, (await CapacityHost.RunAsync(user, sessionId)).StatusCode);
    }
}
