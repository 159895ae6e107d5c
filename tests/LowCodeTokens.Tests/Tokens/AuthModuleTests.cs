using System.Text;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Tokens;

/// <summary>
/// The shipped Auth module's rules (SPEC §4), in the real engine (its store, <c>tokens</c>, <c>jwt</c>, <c>btoa</c>, console
/// and the module's own <c>token_body</c>/<c>token_basic</c> queries) against a <see cref="FakeTokenEndpoint"/> on a fake clock.
/// </summary>
public sealed class AuthModuleTests
{
    private static readonly TimeSpan S = TimeSpan.FromSeconds(1);

    private static Task<AuthModuleHarness> StartAsync(JsonObject? inputs = null) => AuthModuleHarness.StartAsync(inputs);

    [Fact]
    public async Task GetAccessToken_ClientCredentialsWithBodyAuth_OneRequestThenServedFromTheStore()
    {
        await using var auth = await StartAsync();

        var token = await auth.GetAccessTokenAsync();

        Assert.Equal(token, await auth.GetAccessTokenAsync());
        var request = Assert.Single(auth.Server.Requests);
        Assert.Equal(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "demo-client", ["client_secret"] = "demo-secret",
        }, request.Form);
        Assert.Equal("POST", request.Method);
        Assert.Equal(AuthModuleHarness.TokenUrl, request.Url);
        Assert.Equal("application/json", request.Header("Accept"));
        Assert.Null(request.Header("Authorization"));
        Assert.Equal(token, await auth.StoredStringAsync("authAccessToken"));
        Assert.Equal("refresh-1", await auth.StoredStringAsync("authRefreshToken"));
        Assert.False((await auth.CallAsync("verifyAccessTokenExpired")).Result!.GetValue<bool>());
    }

    [Fact]
    public async Task GenerateAccessToken_ScopeAudienceAndPrefixSet_SentAndNameTheKeys()
    {
        await using var auth = await StartAsync(new JsonObject { ["scope"] = "read write", ["audience"] = "api://users", ["storeKeyPrefix"] = "crm" });

        await auth.ValueAsync("generateAccessToken");

        var request = Assert.Single(auth.Server.Requests);
        Assert.Equal("read write", request.Field("scope"));
        Assert.Equal("api://users", request.Field("audience"));
        Assert.NotNull(await auth.StoredStringAsync("crmAccessToken"));
        Assert.NotNull(await auth.StoredNumberAsync("crmExpiresAt"));
        Assert.NotNull(await auth.StoredNumberAsync("crmRefreshAt"));
        Assert.Null(await auth.StoredAsync("authAccessToken"));
    }

    [Fact]
    public async Task GetAccessToken_BasicClientAuth_FormEncodedIdAndSecretInTheHeaderNoneInTheBody()
    {
        await using var auth = await StartAsync(new JsonObject { ["clientAuth"] = "basic", ["clientId"] = "my client:1", ["clientSecret"] = "p@ss wörd" });

        await auth.GetAccessTokenAsync();

        var request = Assert.Single(auth.Server.Requests);
        Assert.Equal("token_basic", request.QueryName);
        var authorization = request.Header("Authorization")!;
        Assert.StartsWith("Basic ", authorization);
        // RFC 6749 §2.3.1: each part form-encoded, then joined and base64-encoded.
        Assert.Equal("my%20client%3A1:p%40ss%20w%C3%B6rd", Encoding.Latin1.GetString(Convert.FromBase64String(authorization["Basic ".Length..])));
        Assert.Null(request.Field("client_secret"));
        Assert.Null(request.Field("client_id"));
        Assert.Equal("client_credentials", request.Field("grant_type"));
    }

    [Fact]
    public async Task GetAccessToken_PasswordGrant_SendsUsernameAndPassword()
    {
        await using var auth = await StartAsync(new JsonObject { ["grantType"] = "password", ["username"] = "ada", ["password"] = "lovelace" });

        await auth.GetAccessTokenAsync();

        var request = Assert.Single(auth.Server.Requests);
        Assert.Equal("password", request.Field("grant_type"));
        Assert.Equal("ada", request.Field("username"));
        Assert.Equal("lovelace", request.Field("password"));
    }

    [Fact]
    public async Task GetAccessToken_ExpiresIn_TenSecondsRefreshesAtSevenAndAHalfOneHourSixtySecondsBeforeExpiry()
    {
        await using (var shortLived = await StartAsync())
        {
            shortLived.Server.ExpiresInSeconds = 10;
            await shortLived.GetAccessTokenAsync();
            Assert.Equal(10_000, await shortLived.StoredNumberAsync("authExpiresAt") - shortLived.Now);
            Assert.Equal(7_500, await shortLived.StoredNumberAsync("authRefreshAt") - shortLived.Now);
        }

        await using var longLived = await StartAsync();
        await longLived.GetAccessTokenAsync();
        Assert.Equal(3_600_000, await longLived.StoredNumberAsync("authExpiresAt") - longLived.Now);
        Assert.Equal(await longLived.StoredNumberAsync("authExpiresAt") - 60_000, await longLived.StoredNumberAsync("authRefreshAt"));
    }

    [Fact]
    public async Task GetAccessToken_NoExpiresIn_UsesTheJwtExpElseDefaultExpiresInSeconds()
    {
        await using (var withJwt = await StartAsync())
        {
            withJwt.Server.ExpiresInSeconds = null;
            withJwt.Server.JwtLifetimeSeconds = 120;
            await withJwt.GetAccessTokenAsync();
            Assert.Equal(120_000, await withJwt.StoredNumberAsync("authExpiresAt") - withJwt.Now);
            Assert.Equal(90_000, await withJwt.StoredNumberAsync("authRefreshAt") - withJwt.Now);
        }

        await using var opaque = await StartAsync(new JsonObject { ["defaultExpiresInSeconds"] = 40 });
        opaque.Server.ExpiresInSeconds = null;
        opaque.Server.JwtLifetimeSeconds = null;
        Assert.Equal("opaque-access-1", await opaque.GetAccessTokenAsync());
        Assert.Equal(40_000, await opaque.StoredNumberAsync("authExpiresAt") - opaque.Now);
    }

    [Fact]
    public async Task GetAccessToken_AtTheRefreshPoint_RefreshTokenUsedAndRotatedPersistedBeforeTheAccessToken()
    {
        await using var auth = await StartAsync();
        auth.Server.ExpiresInSeconds = 10;
        var first = await auth.GetAccessTokenAsync();
        auth.Clock.Advance(7.5 * S);
        Assert.True((await auth.CallAsync("verifyAccessTokenExpired")).Result!.GetValue<bool>());
        auth.Store.ClearWrites();

        var second = await auth.GetAccessTokenAsync();

        Assert.NotEqual(first, second);
        Assert.Equal("refresh_token", auth.Server.Requests[1].Field("grant_type"));
        Assert.Equal("refresh-1", auth.Server.Requests[1].Field("refresh_token"));
        Assert.Equal("refresh-2", await auth.StoredStringAsync("authRefreshToken"));
        var writes = auth.Store.Writes.Where(w => w.Kind == StoreWriteKind.Set).Select(w => w.Key).ToList();
        Assert.Contains("authRefreshToken", writes);
        Assert.Contains("authAccessToken", writes);
        Assert.True(writes.IndexOf("authRefreshToken") < writes.IndexOf("authAccessToken"), string.Join(", ", writes));
    }

    [Fact]
    public async Task GetAccessToken_RefreshAnswerWithoutRefreshToken_KeepsTheOldOne()
    {
        await using var auth = await StartAsync();
        auth.Server.Rotate = false;
        await auth.GetAccessTokenAsync();
        auth.Clock.Advance(3600 * S);

        await auth.GetAccessTokenAsync();

        Assert.Equal("refresh_token", auth.Server.Requests[1].Field("grant_type"));
        Assert.Equal("refresh-1", await auth.StoredStringAsync("authRefreshToken"));
    }

    [Fact]
    public async Task GetAccessToken_InvalidGrantAfterAnotherReplicaRotated_RereadsTheStoreAndUsesTheNewRefreshToken()
    {
        await using var auth = await StartAsync();
        await auth.GetAccessTokenAsync();
        // Another replica refreshes first: it redeems refresh-1 and stores refresh-other (but no fresh access token),
        // while this call's request with refresh-1 is at the token server.
        auth.Server.ValidRefreshTokens.Remove("refresh-1");
        auth.Server.ValidRefreshTokens.Add("refresh-other");
        auth.Server.BeforeAnswer = async request =>
        {
            if (request.Field("refresh_token") == "refresh-1") await auth.StoreAsync(("authRefreshToken", "refresh-other"));
        };
        auth.Clock.Advance(3600 * S);

        await auth.GetAccessTokenAsync();

        Assert.Equal(["refresh-1", "refresh-other"], auth.Server.Requests.Skip(1).Select(r => r.Field("refresh_token")));
        Assert.Equal(3, auth.Server.Requests.Count);
        Assert.Equal("refresh-2", await auth.StoredStringAsync("authRefreshToken"));
    }

    [Fact]
    public async Task GetAccessToken_InvalidGrantWithAFreshAccessTokenStoredMeanwhile_ReturnsThatToken()
    {
        await using var auth = await StartAsync();
        await auth.GetAccessTokenAsync();
        auth.Server.ValidRefreshTokens.Clear();
        var other = TestJwt.Create(new { n = "other" });
        auth.Clock.Advance(3600 * S);
        auth.Server.BeforeAnswer = _ => auth.StoreAsync(
            ("authAccessToken", other), ("authRefreshAt", auth.Now + 60_000), ("authExpiresAt", auth.Now + 120_000));

        Assert.Equal(other, await auth.GetAccessTokenAsync());
        Assert.Equal(2, auth.Server.Requests.Count);
    }

    [Fact]
    public async Task GetAccessToken_InvalidGrantForClientCredentials_ClearsTheRefreshTokenAndGeneratesANewToken()
    {
        await using var auth = await StartAsync();
        await auth.GetAccessTokenAsync();
        auth.Server.ValidRefreshTokens.Clear();
        auth.Server.IssueRefreshTokens = false;
        auth.Clock.Advance(3600 * S);

        var token = await auth.GetAccessTokenAsync();

        Assert.Equal(["client_credentials", "refresh_token", "client_credentials"], auth.Server.Requests.Select(r => r.Field("grant_type")));
        Assert.Null(await auth.StoredAsync("authRefreshToken"));
        Assert.Equal(token, await auth.StoredStringAsync("authAccessToken"));
    }

    [Fact]
    public async Task GetAccessToken_RefreshTokenGrant_InputSeedsTheFirstRefreshOnceRejectedReauthenticationIsRequired()
    {
        await using var auth = await StartAsync(new JsonObject { ["grantType"] = "refresh_token", ["refreshToken"] = "seed-token" });
        auth.Server.ValidRefreshTokens.Add("seed-token");
        await auth.GetAccessTokenAsync();
        Assert.Equal("seed-token", auth.Server.Requests[0].Field("refresh_token"));
        Assert.Equal("refresh-1", await auth.StoredStringAsync("authRefreshToken"));

        auth.Server.ValidRefreshTokens.Clear();
        auth.Clock.Advance(3600 * S);
        Assert.Contains("needs re-authentication", await auth.ErrorAsync());
        var calls = auth.Server.Requests.Count;
        Assert.Contains("needs re-authentication", await auth.ErrorAsync());
        Assert.Equal(calls, auth.Server.Requests.Count); // a rejected seed is not sent again
    }

    [Fact]
    public async Task GetAccessToken_TokenServerRejects_ErrorNamesTheAnswerWithoutSecretsThenBacksOffFiveSecondsDoubling()
    {
        await using var auth = await StartAsync(new JsonObject { ["clientSecret"] = "super-secret-value" });
        auth.Server.Fail = TokenEndpointAnswer.Error(401, "invalid_client", "bad secret super-secret-value");

        var error = await auth.ErrorAsync();
        Assert.Matches(@"HTTP 401 invalid_client: bad secret \*\*\*", error);
        Assert.DoesNotContain("super-secret-value", error);
        Assert.Equal(1, await auth.StoredNumberAsync("authFailureCount"));
        Assert.Equal(auth.Now, await auth.StoredNumberAsync("authFailedAt"));

        auth.Clock.Advance(3 * S);
        Assert.Matches("token server failing; next attempt in 2 s: .*invalid_client", await auth.ErrorAsync());
        Assert.Single(auth.Server.Requests);

        auth.Clock.Advance(2 * S);
        Assert.Contains("HTTP 401", await auth.ErrorAsync());
        Assert.Equal(2, auth.Server.Requests.Count);
        auth.Clock.Advance(9 * S);
        Assert.Contains("next attempt in 1 s", await auth.ErrorAsync());

        auth.Server.Fail = null;
        auth.Clock.Advance(1 * S);
        await auth.GetAccessTokenAsync();
        Assert.Null(await auth.StoredAsync("authFailureCount"));
        Assert.Null(await auth.StoredAsync("authFailedAt"));
    }

    [Fact]
    public async Task GetAccessToken_RepeatedFailures_BackOffCappedAtFiveMinutesAndHonoursRetryAfter()
    {
        await using var auth = await StartAsync();
        auth.Server.Fail = TokenEndpointAnswer.Error(429, "slow_down", headers: new Dictionary<string, string> { ["Retry-After"] = "30" });
        Assert.Contains("HTTP 429 slow_down", await auth.ErrorAsync());
        Assert.Equal(30_000, await auth.StoredNumberAsync("authNextAttemptAt") - auth.Now);

        auth.Server.Fail = TokenEndpointAnswer.Text(500, "oops");
        for (var i = 0; i < 12; i++)
        {
            auth.Clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds((await auth.StoredNumberAsync("authNextAttemptAt"))!.Value));
            Assert.Contains("HTTP 500", await auth.ErrorAsync());
        }
        Assert.Equal(300_000, await auth.StoredNumberAsync("authNextAttemptAt") - auth.Now);
        Assert.Equal(13, auth.Server.Requests.Count);
    }

    [Fact]
    public async Task GetAccessToken_RefreshFailsWhileTheTokenIsValid_ServesItAndWarnsAfterExpiryThrows()
    {
        await using var auth = await StartAsync();
        auth.Server.ExpiresInSeconds = 100;
        var token = await auth.GetAccessTokenAsync();
        auth.Server.FailNext = 1;
        auth.Clock.Advance(80 * S); // past the refresh point (75 s), before expiry (100 s)

        Assert.Equal(token, await auth.GetAccessTokenAsync());
        var warning = Assert.Single(auth.Warnings);
        Assert.Matches("refresh failed: .*HTTP 500 server_error", warning);
        Assert.DoesNotContain(token, warning);

        // In the back-off window the valid token is still served, without calling the server.
        auth.Clock.Advance(2 * S);
        Assert.Equal(token, await auth.GetAccessTokenAsync());
        Assert.Equal(2, auth.Server.Requests.Count);

        auth.Server.Fail = TokenEndpointAnswer.Error(503, "temporarily_unavailable");
        auth.Clock.Advance(20 * S);
        Assert.Contains("HTTP 503 temporarily_unavailable", await auth.ErrorAsync());
    }

    [Fact]
    public async Task RefreshAccessToken_TokenStillFresh_StillCallsTheServer()
    {
        await using var auth = await StartAsync();
        var first = await auth.GetAccessTokenAsync();

        var second = await auth.ValueAsync("refreshAccessToken");

        Assert.NotEqual(first, second);
        Assert.Equal("refresh_token", auth.Server.Requests[1].Field("grant_type"));
        Assert.Equal(2, auth.Server.Requests.Count);
    }
}
