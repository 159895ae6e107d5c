using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Infrastructure;
using LowCodeTokens.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using static LowCodeTokens.Tests.Host.PageLoadEndToEndTests;

namespace LowCodeTokens.Tests.ScaleOut;

/// <summary>
/// Issue 5 acceptance: host replicas sharing one PostgreSQL database refresh a token once between them, survive a replica
/// that dies mid-refresh without losing the refresh token, and serve the same store and the same app definitions.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReplicaTests(PostgresFixture postgres) : IAsyncLifetime
{
    // Refreshes with a rotating refresh token: a second use of one would show as a reuse rejection at the server.
    private const string RefreshModuleJson = """
        { "name": "Refresh", "version": "1.0.0", "main": "main.js",
          "inputs": { "tokenUrl": "", "clientId": "", "clientSecret": { "secret": true, "default": "" } },
          "singleFlight": ["getAccessToken"],
          "queries": [ { "name": "api_refresh", "method": "POST", "url": "{{inputs.tokenUrl}}", "bodyType": "form",
                         "body": { "grant_type": "refresh_token", "refresh_token": "{{this.params.refresh}}",
                                   "client_id": "{{inputs.clientId}}", "client_secret": "{{inputs.clientSecret}}" } } ] }
        """;

    private const string RefreshModuleCode = """
        export default {
          async getAccessToken() {
            const { authToken, authExpiresAt, authRefreshToken } = appsmith.store;
            if (authToken && Date.now() < authExpiresAt) return authToken;
            const body = await api_refresh.run({ refresh: authRefreshToken });
            if (!body || !body.access_token) throw new Error('refresh failed: ' + JSON.stringify(body));
            await storeValue('authRefreshToken', body.refresh_token ?? authRefreshToken);
            await storeValue('authToken', body.access_token);
            await storeValue('authExpiresAt', jwt.expiresAt(body.access_token));
            return body.access_token;
          },
        }
        """;

    private readonly List<string> _dirs = [];
    private OAuthTestServer _oauth = null!;
    private string _database = "";

    public async Task InitializeAsync()
    {
        _oauth = await OAuthTestServer.StartNewAsync();
        _database = TestStore.DatabaseFor(postgres.ConnectionString, NewDir());
    }

    public async Task DisposeAsync()
    {
        await _oauth.DisposeAsync();
        foreach (var dir in _dirs)
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task TwoReplicas_100ConcurrentLoadsWithAnExpiredToken_CauseOneRefreshRequest_AndAllSucceed()
    {
        await using var a = Replica();
        await using var b = Replica();
        var (adminA, adminB) = (a.Admin(), b.Admin());
        await PublishAndImportRefreshAppAsync(adminA);
        // Warm both replicas (script host started, app compiled) so that their loads really overlap: one refresh, in another scope.
        await SeedExpiredTokenAsync(b, "warm");
        AssertLoaded(await LoadAsync(adminA, "warm"));
        AssertLoaded(await LoadAsync(adminB, "warm"));
        Assert.Equal(1, _oauth.TokenRequests);
        var seeded = await SeedExpiredTokenAsync(b, "app");
        // Slow enough that loads on both replicas wait for the one refresh: the other replica must take the lock after it,
        // re-read the store, and find the new token.
        _oauth.TokenDelay = TimeSpan.FromSeconds(1);

        var loads = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => LoadAsync(i % 2 == 0 ? adminA : adminB)));

        Assert.All(loads, AssertLoaded);
        Assert.Equal(2, _oauth.TokenRequests);
        Assert.Equal(0, _oauth.ReuseRejections);
        Assert.Equal(seeded, _oauth.TokenRequestLog.Last().Form["refresh_token"]);
        Assert.Equal(102, _oauth.ApiRequests);
        var (viaA, viaB) = (await StoreOf(a).ReadAsync("crm", "app"), await StoreOf(b).ReadAsync("crm", "app"));
        Assert.Equal(viaA.Values, viaB.Values);
        Assert.True(_oauth.IsAccessTokenValid(Unquote(viaA.Values["authToken"])));
    }

    [Fact]
    public async Task ReplicaKilledDuringARefresh_TheOtherCompletesTheNextRequest_AndNoRefreshTokenIsLost()
    {
        await using var b = Replica();
        await using var a = await HostProcess.StartAsync(NewDir(), _database);
        var adminB = b.Admin();
        await PublishAndImportRefreshAppAsync(adminB);
        var seeded = await SeedExpiredTokenAsync(b, "app");

        _oauth.TokenDelay = TimeSpan.FromSeconds(10);
        using var adminA = a.Admin();
        var inFlight = adminA.PostAsync("/api/apps/crm/pages/Home/load", Json("{}"));
        await WaitUntilAsync(() => _oauth.TokenRequests == 1);
        // A holds the database lock and its refresh is at the token server: now it dies.
        await a.KillAsync();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => inFlight);
        _oauth.TokenDelay = TimeSpan.Zero;

        var watch = Stopwatch.StartNew();
        AssertLoaded(await LoadAsync(adminB));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"B waited {watch.Elapsed} for a dead replica's lock");
        Assert.Equal(2, _oauth.TokenRequests);
        Assert.Equal(0, _oauth.ReuseRejections);
        Assert.All(_oauth.TokenRequestLog, r => Assert.Equal(seeded, r.Form["refresh_token"]));
        var store = await StoreOf(b).ReadAsync("crm", "app");
        Assert.NotEqual(seeded, Unquote(store.Values["authRefreshToken"]));
        Assert.True(_oauth.IsAccessTokenValid(Unquote(store.Values["authToken"])));

        // The refresh token B persisted is the live one: the next refresh redeems it without reuse.
        await StoreOf(b).ApplyAsync("crm", "app", [StoreWrite.Set("authExpiresAt", "0")]);
        AssertLoaded(await LoadAsync(adminB));
        Assert.Equal(3, _oauth.TokenRequests);
        Assert.Equal(0, _oauth.ReuseRejections);
    }

    [Fact]
    public async Task MixedWritesThroughBothReplicas_LeaveTheSameStoreOnEither()
    {
        await using var a = Replica();
        await using var b = Replica();
        var (adminA, adminB) = (a.Admin(), b.Admin());
        await PublishAndImportAsync(adminA, SpecApp(_oauth, ", put: (k, v) => storeValue(k, v), del: (k) => removeValue(k)"));
        var sessionA = (await LoadAsync(adminA))["sessionId"]!.GetValue<string>();
        var sessionB = (await LoadAsync(adminB))["sessionId"]!.GetValue<string>();

        var writes = Enumerable.Range(0, 60).Select(async i =>
        {
            var (admin, session) = i % 2 == 0 ? (adminA, sessionA) : (adminB, sessionB);
            var body = i % 7 == 6
                ? $$"""{ "action": "JSObject1.del", "args": ["k{{i % 10}}"] }"""
                : $$"""{ "action": "JSObject1.put", "args": ["k{{i % 10}}", { "n": {{i}}, "by": "{{(i % 2 == 0 ? "a" : "b")}}" }] }""";
            var run = await admin.PostAsync($"/api/apps/crm/sessions/{session}/run", Json(body));
            Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        });
        // Page loads in another scope on both replicas at the same time: one token for that scope between them.
        var userLoads = Enumerable.Range(0, 10).Select(async i =>
            AssertLoaded(JsonNode.Parse(await (await (i % 2 == 0 ? adminA : adminB).PostAsync("/api/apps/crm/pages/Home/load", Json("""{ "scope": "u1" }"""))).Content.ReadAsStringAsync())!));
        await Task.WhenAll(writes.Concat(userLoads));

        foreach (var scope in new[] { "app", "u1" })
        {
            var (viaA, viaB) = (await StoreOf(a).ReadAsync("crm", scope), await StoreOf(b).ReadAsync("crm", scope));
            Assert.Equal(viaA.Version, viaB.Version);
            Assert.Equal(viaA.Values, viaB.Values);
            Assert.Equal(await adminA.GetStringAsync($"/api/apps/crm/store?scope={scope}"),
                await adminB.GetStringAsync($"/api/apps/crm/store?scope={scope}"));
        }
        Assert.Contains("k2", (await StoreOf(a).ReadAsync("crm", "app")).Values.Keys); // k2 is put, never removed (i % 7 == 6 removes others)
        Assert.Equal(2, _oauth.TokenRequests);
    }

    [Fact]
    public async Task AppReimportedOnOneReplica_IsWhatTheOtherServesNext()
    {
        await using var a = Replica();
        await using var b = Replica();
        var (adminA, adminB) = (a.Admin(), b.Admin());
        var v1 = SpecApp(_oauth);
        await PublishAndImportAsync(adminA, v1);
        Assert.Null((await LoadAsync(adminB))["widgets"]!["Text1"]);

        var v2 = v1.Replace("\"widgets\": [ ", "\"widgets\": [ { \"name\": \"Text1\", \"type\": \"text\", \"text\": \"v2\" }, ");
        Assert.True((await adminA.PutAsync("/api/apps/crm", Json(v2))).IsSuccessStatusCode);
        Assert.Equal("v2", (await LoadAsync(adminB))["widgets"]!["Text1"]!["text"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await adminA.DeleteAsync("/api/apps/crm")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await adminB.PostAsync("/api/apps/crm/pages/Home/load", Json("{}"))).StatusCode);
    }

    private EngineHostFactory Replica() => new(NewDir(), settings: new Dictionary<string, string>
    {
        ["LowCodeTokens:Store:Provider"] = "postgres",
        ["LowCodeTokens:Store:ConnectionString"] = _database,
    });

    private string NewDir()
    {
        var dir = Directory.CreateTempSubdirectory("lct-replica-").FullName;
        _dirs.Add(dir);
        return dir;
    }

    private async Task PublishAndImportRefreshAppAsync(HttpClient admin)
    {
        var module = JsonNode.Parse(RefreshModuleJson)!.AsObject();
        module["code"] = RefreshModuleCode;
        var published = await admin.PutAsync("/api/modules/Refresh/versions/1.0.0", Json(module.ToJsonString()));
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        var imported = await admin.PutAsync("/api/apps/crm", Json(SpecApp(_oauth).Replace("\"Auth@1\"", "\"Refresh@1\"")));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
    }

    // An access token that expired, and a refresh token the server issued and has not seen used.
    private async Task<string> SeedExpiredTokenAsync(EngineHostFactory host, string scope)
    {
        var refresh = _oauth.CreateRefreshToken();
        await StoreOf(host).ApplyAsync("crm", scope,
        [
            StoreWrite.Set("authToken", "\"expired\""),
            StoreWrite.Set("authExpiresAt", "0"),
            StoreWrite.Set("authRefreshToken", JsonValue.Create(refresh).ToJsonString()),
        ]);
        return refresh;
    }

    private static IAppStore StoreOf(EngineHostFactory host) => host.Services.GetRequiredService<IAppStore>();

    private static string Unquote(string json) => JsonNode.Parse(json)!.GetValue<string>();

    private static async Task<JsonNode> LoadAsync(HttpClient admin, string scope = "app")
    {
        var response = await admin.PostAsync("/api/apps/crm/pages/Home/load", Json($$"""{ "scope": "{{scope}}" }"""));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    private static void AssertLoaded(JsonNode load)
    {
        Assert.All(load["actions"]!.AsArray(), action => Assert.Equal("success", action!["status"]!.GetValue<string>()));
        Assert.NotEmpty(load["widgets"]!["Table1"]!["tableData"]!.AsArray());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("condition not met in 60 s");
            await Task.Delay(20);
        }
    }
}
