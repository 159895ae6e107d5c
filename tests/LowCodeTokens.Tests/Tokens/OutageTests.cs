using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Tokens;

/// <summary>SPEC §4 "Failure": a still-valid token is served while refreshes fail; then the server's answer is the error; back-off 5 s doubling to 5 min.</summary>
public sealed class OutageTests
{
    [Fact]
    public async Task GetAccessToken_TokenServerDown_ServesValidTokenThenFailsNamingAnswerAndBacksOff()
    {
        var clock = TestClock.Create();
        await using var app = await AuthApp.StartAsync(clock, s => s.AccessTokenLifetime = TimeSpan.FromSeconds(60)); // refresh point at 45 s
        var load = await app.LoadAsync();
        var token = await app.StoredStringAsync("authAccessToken");
        var start = clock.GetUtcNow();
        app.Server.Down = true;

        app.Advance(TimeSpan.FromSeconds(45));
        var outageStart = clock.GetUtcNow();
        for (int second = 45; second <= 45 + 620; second++)
        {
            var run = await app.RunAsync(load.SessionId, "Auth_Module.getAccessToken");
            if (second < 60)
            {
                Assert.True(run.Error is null, $"at {second} s: {run.Error?.Message}");
                Assert.Equal(token, run.Result!.GetValue<string>());
                Assert.Contains(run.Logs, l => l.Level == "warn" && l.Text.Contains("serving the current access token"));
            }
            else
            {
                Assert.NotNull(run.Error);
                Assert.Contains("HTTP 500 server_error", run.Error!.Message);
            }
            app.Advance(TimeSpan.FromSeconds(1));
        }

        var attempts = app.Server.TokenRequestLog.Skip(1).Select(r => (int)(r.At - outageStart).TotalSeconds).ToArray();
        Assert.Equal([0, 5, 15, 35, 75, 155, 315, 615], attempts);
        Assert.All(app.Server.TokenRequestLog.Skip(1), r => Assert.Equal("refresh_token", r.GrantType));
        Assert.Equal(TimeSpan.FromSeconds(45 + 621), clock.GetUtcNow() - start);

        // The server is back: the next attempt after the back-off succeeds and clears it.
        app.Server.Down = false;
        app.Advance(TimeSpan.FromMinutes(5));
        var recovered = await app.RunAsync(load.SessionId, "Auth_Module.getAccessToken");
        Assert.Null(recovered.Error);
        Assert.True(app.Server.IsAccessTokenValid(recovered.Result!.GetValue<string>()));
        Assert.Null(await app.StoredAsync("authFailureCount"));
    }
}
