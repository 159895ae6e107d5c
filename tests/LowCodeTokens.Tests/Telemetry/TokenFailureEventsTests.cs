using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Infrastructure;
using LowCodeTokens.Tests.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static LowCodeTokens.Tests.Host.PageLoadEndToEndTests;

namespace LowCodeTokens.Tests.Telemetry;

/// <summary>
/// Issue 13: a token server failing three times, seen through the events route, the credential view and a webhook receiver
/// (Kestrel on 127.0.0.1) that verifies every delivery's signature the way the README tells receivers to.
/// </summary>
public sealed class TokenFailureEventsTests : OAuthHostTest
{
    private readonly FakeTimeProvider _clock = TestClock.Create();
    private TestApiServer _receiver = null!;
    private int _hookCalls;

    private protected override EngineHostFactory CreateHostFactory() =>
        new(DataDir, s => s.AddSingleton<TimeProvider>(_clock), new Dictionary<string, string> { ["LowCodeTokens:Webhooks:FirstRetryDelay"] = "00:00:01" });

    protected override async Task SetUpAsync()
    {
        OAuth.ClientSecret = "client-secret-" + Guid.NewGuid().ToString("N");
        _receiver = await TestApiServer.StartAsync();
        // The first delivery is answered 500; the dispatcher must retry it.
        _receiver.Map("POST", "/hook", context =>
        {
            context.Response.StatusCode = Interlocked.Increment(ref _hookCalls) == 1 ? 500 : 204;
            return Task.CompletedTask;
        });
        await ShippedAuthOverHttp.PublishAndImportAsync(Admin, AuthApp.Definition(OAuth));
    }

    [Fact]
    public async Task TokenServerFailsThreeTimes_EventsCredentialViewAndSignedRetriedWebhookDeliveriesTellIt()
    {
        var created = await Admin.PutAsync("/api/apps/crm/webhooks/ops",
            Json($$"""{ "url": "{{_receiver.Url("/hook")}}", "events": ["refresh-failed", "backing-off"] }"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var secret = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["secret"]!.GetValue<string>();
        Assert.DoesNotContain(secret, await Admin.GetStringAsync("/api/apps/crm/webhooks/ops")); // shown once

        OAuth.Down = true;
        DateTimeOffset nextAttempt = default;
        foreach (var backoff in new[] { 5, 10, 20 })
        {
            var load = JsonNode.Parse(await (await Admin.PostAsync("/api/apps/crm/pages/Home/load", Json("{}"))).Content.ReadAsStringAsync())!;
            Assert.Contains(load["actions"]!.AsArray(), a => a!["status"]!.GetValue<string>() == "error");
            nextAttempt = _clock.GetUtcNow().AddSeconds(backoff);
            _clock.Advance(TimeSpan.FromSeconds(backoff));
        }
        Assert.Equal(3, OAuth.TokenRequests); // each load past the back-off, none during it

        var failed = JsonNode.Parse(await Admin.GetStringAsync("/api/apps/crm/events?type=refresh-failed"))!["events"]!.AsArray();
        Assert.Equal([3, 2, 1], failed.Select(e => e!["failures"]!.GetValue<int>()));
        Assert.All(failed, e => Assert.Equal(500, e!["status"]!.GetValue<int>()));
        var backingOff = JsonNode.Parse(await Admin.GetStringAsync("/api/apps/crm/events?type=backing-off&limit=1"))!["events"]!.AsArray();
        Assert.Equal(nextAttempt, Assert.Single(backingOff)!["nextAttemptAt"]!.GetValue<DateTimeOffset>());

        var credentials = await Admin.GetStringAsync("/api/apps/crm/credentials");
        var credential = Assert.Single(JsonNode.Parse(credentials)!["credentials"]!.AsArray())!;
        Assert.Equal(("Auth_Module", "app"), (credential["module"]!.GetValue<string>(), credential["scope"]!.GetValue<string>()));
        Assert.Equal(3, credential["failuresInARow"]!.GetValue<int>());
        Assert.Equal(nextAttempt, credential["nextAttemptAt"]!.GetValue<DateTimeOffset>());
        Assert.False(credential["hasToken"]!.GetValue<bool>());
        Assert.Equal("failing", credential["health"]!.GetValue<string>());
        Assert.Contains("HTTP 500", credential["lastError"]!.GetValue<string>());
        Assert.DoesNotContain(OAuth.ClientSecret, credentials);

        // Six events (three of each type) are delivered, the first one twice: after its 500, once more. The retry waits on
        // the host's clock, which the loop advances while it waits for the receiver.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (_receiver.Requests.Count < 7 && DateTime.UtcNow < deadline)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }
        var deliveries = _receiver.Requests;
        Assert.Equal(7, deliveries.Count);
        foreach (var delivery in deliveries)
            Assert.True(SignatureVerifies(secret, delivery), $"signature of {delivery.Body}");
        var first = deliveries[0];
        Assert.Equal(2, deliveries.Count(d => d.Header("LowCodeTokens-Delivery") == first.Header("LowCodeTokens-Delivery")));
        var events = deliveries.Select(d => JsonNode.Parse(d.Body)!).DistinctBy(e => e["id"]!.GetValue<long>()).ToList();
        Assert.Equal(3, events.Count(e => e["type"]!.GetValue<string>() == "refresh-failed"));
        Assert.Equal(3, events.Count(e => e["type"]!.GetValue<string>() == "backing-off"));
        Assert.All(deliveries, d => Assert.DoesNotContain(OAuth.ClientSecret, d.Body));
    }

    [Fact]
    public async Task PutWebhook_UrlAtARefusedAddressOrUnknownEventType_400NamingTheFieldAndNothingStored()
    {
        var metadata = await Admin.PutAsync("/api/apps/crm/webhooks/bad", Json("""{ "url": "http://169.254.169.254/hook", "events": ["refreshed"] }"""));
        Assert.Equal(HttpStatusCode.BadRequest, metadata.StatusCode);
        Assert.Contains("cloud metadata", JsonNode.Parse(await metadata.Content.ReadAsStringAsync())!["errors"]!["url"]![0]!.GetValue<string>());

        var unknown = await Admin.PutAsync("/api/apps/crm/webhooks/bad", Json($$"""{ "url": "{{_receiver.Url("/hook")}}", "events": ["token-stolen"] }"""));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("token-stolen", JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["errors"]!["events"]![0]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync("/api/apps/crm/webhooks/bad")).StatusCode);
        Assert.Empty(JsonNode.Parse(await Admin.GetStringAsync("/api/apps/crm/webhooks"))!["webhooks"]!.AsArray());
    }

    /// <summary>The receiver's side, as documented: HMAC-SHA256 with the secret over "{t}.{body}", hex, in v1.</summary>
    private static bool SignatureVerifies(string secret, RecordedRequest delivery)
    {
        var parts = delivery.Header("LowCodeTokens-Signature")!.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{delivery.Body}")));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts["v1"]));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _receiver.DisposeAsync();
    }
}
