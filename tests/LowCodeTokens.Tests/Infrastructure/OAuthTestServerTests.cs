using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace LowCodeTokens.Tests.Infrastructure;

public sealed class OAuthTestServerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = TestClock.Create();
    private readonly HttpClient http = new();
    private OAuthTestServer server = null!;

    public async Task InitializeAsync() => server = await OAuthTestServer.StartNewAsync(clock);

    public async Task DisposeAsync()
    {
        http.Dispose();
        await server.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostTokenAsync(
        Dictionary<string, string> form, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.TokenUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = authorization;
        var response = await http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, body, response);
    }

    private Dictionary<string, string> ClientCredentials(params (string Key, string Value)[] extra)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = server.ClientId, ["client_secret"] = server.ClientSecret,
        };
        foreach (var (k, v) in extra) form[k] = v;
        return form;
    }

    private Dictionary<string, string> Refresh(string refreshToken) => new()
    {
        ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken,
        ["client_id"] = server.ClientId, ["client_secret"] = server.ClientSecret,
    };

    private static JsonElement JwtPayload(string token) =>
        JsonDocument.Parse(Convert.FromBase64String(Pad(token.Split('.')[1].Replace('-', '+').Replace('_', '/')))).RootElement.Clone();

    private static string Pad(string s) => s + new string('=', (4 - s.Length % 4) % 4);

    [Fact]
    public async Task ClientCredentials_BodyAuth_IssuesJwtWithExpAndExpiresIn()
    {
        var (status, body, _) = await PostTokenAsync(ClientCredentials(("scope", "read")));

        Assert.Equal(HttpStatusCode.OK, status);
        var accessToken = body.GetProperty("access_token").GetString()!;
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());
        Assert.Equal("read", body.GetProperty("scope").GetString());
        Assert.Equal(clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), JwtPayload(accessToken).GetProperty("exp").GetInt64());
        Assert.True(server.IsAccessTokenValid(accessToken));
        Assert.Equal(1, server.TokenRequestsFor("client_credentials"));
        Assert.Equal("read", server.TokenRequestLog.Single().Form["scope"]);
    }

    [Fact]
    public async Task RefreshToken_Rotates_AndReuseIsRejectedAndCounted()
    {
        var (_, first, _) = await PostTokenAsync(ClientCredentials());
        var rt1 = first.GetProperty("refresh_token").GetString()!;

        var (status2, second, _) = await PostTokenAsync(Refresh(rt1));
        var rt2 = second.GetProperty("refresh_token").GetString()!;
        var (reuseStatus, reuse, _) = await PostTokenAsync(Refresh(rt1));
        var (unknownStatus, _, _) = await PostTokenAsync(Refresh("never-issued"));
        var (status3, _, _) = await PostTokenAsync(Refresh(rt2));

        Assert.Equal(HttpStatusCode.OK, status2);
        Assert.NotEqual(rt1, rt2);
        Assert.Equal(HttpStatusCode.BadRequest, reuseStatus);
        Assert.Equal("invalid_grant", reuse.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unknownStatus);
        Assert.Equal(HttpStatusCode.OK, status3);
        Assert.Equal(2, server.ReuseRejections);
        Assert.Equal(4, server.TokenRequestsFor("refresh_token"));
    }

    [Fact]
    public async Task RefreshToken_WithoutRotation_AnswersWithoutRefreshTokenAndKeepsTheOldOne()
    {
        server.RotateRefreshTokens = false;
        var rt = server.CreateRefreshToken();

        var (_, first, _) = await PostTokenAsync(Refresh(rt));
        var (status, _, _) = await PostTokenAsync(Refresh(rt));

        Assert.False(first.TryGetProperty("refresh_token", out _));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, server.ReuseRejections);
    }

    [Fact]
    public async Task ExpiresIn_Omitted_OnlyJwtExpTellsTheLifetime()
    {
        server.IncludeExpiresIn = false;
        server.AccessTokenLifetime = TimeSpan.FromSeconds(10);

        var (_, body, _) = await PostTokenAsync(ClientCredentials());

        Assert.False(body.TryGetProperty("expires_in", out _));
        var token = body.GetProperty("access_token").GetString()!;
        Assert.Equal(clock.GetUtcNow().AddSeconds(10).ToUnixTimeSeconds(), JwtPayload(token).GetProperty("exp").GetInt64());
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(server.IsAccessTokenValid(token));
    }

    [Fact]
    public async Task OpaqueAndHs256Tokens_HaveTheirShape()
    {
        server.TokenFormat = AccessTokenFormat.Opaque;
        var (_, opaque, _) = await PostTokenAsync(ClientCredentials());
        server.TokenFormat = AccessTokenFormat.Hs256Jwt;
        var (_, signed, _) = await PostTokenAsync(ClientCredentials());

        Assert.DoesNotContain('.', opaque.GetProperty("access_token").GetString()!);
        var parts = signed.GetProperty("access_token").GetString()!.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.NotEmpty(parts[2]);
        var header = JsonDocument.Parse(Convert.FromBase64String(Pad(parts[0].Replace('-', '+').Replace('_', '/')))).RootElement;
        Assert.Equal("HS256", header.GetProperty("alg").GetString());
    }

    [Fact]
    public async Task BasicAuth_FormEncodedCredentials_AreAccepted_AndRequiredWhenConfigured()
    {
        server.ClientId = "my client:1";
        server.ClientSecret = "p@ss wörd";
        server.ClientAuth = ClientAuthRequirement.Basic;
        static string Encode(string s) => Uri.EscapeDataString(s);
        var basic = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Encode("my client:1")}:{Encode("p@ss wörd")}")));

        var (okStatus, _, _) = await PostTokenAsync(new() { ["grant_type"] = "client_credentials" }, basic);
        var (bodyStatus, bodyError, response) = await PostTokenAsync(ClientCredentials());
        var (bothStatus, _, _) = await PostTokenAsync(ClientCredentials(), basic);
        var wrong = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("my%20client%3A1:nope")));
        var (wrongStatus, _, _) = await PostTokenAsync(new() { ["grant_type"] = "client_credentials" }, wrong);

        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, bodyStatus);
        Assert.Equal("invalid_client", bodyError.GetProperty("error").GetString());
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.BadRequest, bothStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongStatus);
    }

    [Fact]
    public async Task PasswordGrant_ChecksTheUser()
    {
        var good = new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "ada", ["password"] = "lovelace",
            ["client_id"] = server.ClientId, ["client_secret"] = server.ClientSecret,
        };
        var bad = new Dictionary<string, string>(good) { ["password"] = "nope" };

        var (okStatus, ok, _) = await PostTokenAsync(good);
        var (badStatus, _, _) = await PostTokenAsync(bad);

        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.Equal("ada", JwtPayload(ok.GetProperty("access_token").GetString()!).GetProperty("sub").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
    }

    [Fact]
    public async Task FailureKnobs_FailNext_RateLimit_Down()
    {
        server.FailNextTokenRequests(1);
        var (failed, failedBody, _) = await PostTokenAsync(ClientCredentials());
        server.RateLimitNextTokenRequests(1, TimeSpan.FromSeconds(7));
        var (limited, _, limitedResponse) = await PostTokenAsync(ClientCredentials());
        var (ok, _, _) = await PostTokenAsync(ClientCredentials());
        server.Down = true;
        var (down, _, _) = await PostTokenAsync(ClientCredentials());

        Assert.Equal(HttpStatusCode.InternalServerError, failed);
        Assert.Equal("server_error", failedBody.GetProperty("error").GetString());
        Assert.Equal((HttpStatusCode)429, limited);
        Assert.Equal(TimeSpan.FromSeconds(7), limitedResponse.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(HttpStatusCode.InternalServerError, down);
        Assert.Equal(4, server.TokenRequests);
    }

    [Fact]
    public async Task UsersApi_AcceptsJwtAndBearerSchemes_RejectsExpiredRevokedAndForced()
    {
        var (_, body, _) = await PostTokenAsync(ClientCredentials());
        var token = body.GetProperty("access_token").GetString()!;
        async Task<HttpStatusCode> GetUsers(string? authorization)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, server.UsersUrl);
            if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        using (var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, server.UsersUrl) { Headers = { { "Authorization", $"JWT {token}" } } }))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var users = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("results");
            Assert.Equal("Ada", users[0].GetProperty("name").GetString());
        }
        Assert.Equal(HttpStatusCode.OK, await GetUsers($"Bearer {token}"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetUsers(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetUsers("Bearer forged"));
        server.ForceApiUnauthorized(1);
        Assert.Equal(HttpStatusCode.Unauthorized, await GetUsers($"JWT {token}"));
        Assert.Equal(HttpStatusCode.OK, await GetUsers($"JWT {token}"));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetUsers($"JWT {token}"));
        Assert.Equal(7, server.ApiRequests);
    }

    [Fact]
    public async Task ConcurrentRefreshesOfOneToken_ExactlyOneWins()
    {
        var rt = server.CreateRefreshToken();

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => PostTokenAsync(Refresh(rt))));

        Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.Equal(199, server.ReuseRejections);
        Assert.Equal(200, server.TokenRequests);
    }
}
