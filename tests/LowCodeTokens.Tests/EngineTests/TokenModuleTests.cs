using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace LowCodeTokens.Tests.EngineTests;

/// <summary>A token module in the style of SPEC §1 runs unmodified against a token endpoint on 127.0.0.1.</summary>
public sealed class TokenModuleTests
{
    private const string ModuleCode = """
        export default {
          tokenKey: 'authAccessToken',
          async getAccessToken() {
            const { authAccessToken: token, authExpiresAt: expiresAt } = appsmith.store;
            if (token && Date.now() < expiresAt) return token;
            return appsmith.store.authRefreshToken ? this.refreshAccessToken() : this.generateAccessToken();
          },
          storeToken: async (body) => {
            const exp = JSON.parse(atob(body.access_token.split('.')[1])).exp * 1000;
            await storeValue(this.tokenKey, body.access_token);
            await storeValue('authRefreshToken', body.refresh_token);
            await storeValue('authExpiresAt', exp);
            console.log(`stored a token expiring at ${new Date(exp).toISOString()}`);
            return body.access_token;
          },
          generateAccessToken: async () => {
            const body = await api_authToken.run({ grant: 'client_credentials' });
            return this.storeToken(body);
          },
          async refreshAccessToken() {
            const body = await api_authToken.run({ grant: 'refresh_token', refresh: appsmith.store.authRefreshToken });
            return this.storeToken({ ...body });
          },
        }
        """;

    [Fact]
    public async Task GetAccessToken_FirstSecondAndAfterExpiry_RequestsThenCachesThenRefreshesOnce()
    {
        await using var server = await TestApiServer.StartAsync();
        var issued = 0;
        // Long enough that the second call still finds the token valid on a busy machine (exp has whole-second resolution).
        var lifetime = TimeSpan.FromSeconds(4);
        server.Map("POST", "/token", async ctx =>
        {
            var form = await ctx.Request.ReadFormAsync();
            var n = Interlocked.Increment(ref issued);
            // `exp` in a payload whose base64url needs '-' and '_' is what real servers send; ~? in the subject forces them.
            var token = TestJwt.Create(new { sub = "~~~???>>>", n, exp = DateTimeOffset.UtcNow.Add(lifetime).ToUnixTimeSeconds() });
            await ctx.Response.WriteAsJsonAsync(new { access_token = token, refresh_token = $"r{n}", grant = form["grant_type"].ToString(), sent_refresh = form["refresh_token"].ToString() });
        });

        await using var engine = EngineHarness.Create();
        await engine.PublishModuleAsync("""
            { "name": "Auth", "version": "1.0.0", "main": "main.js",
              "inputs": { "tokenUrl": "", "clientId": "", "clientSecret": { "secret": true, "default": "" } },
              "singleFlight": ["getAccessToken"],
              "queries": [ { "name": "api_authToken", "method": "POST", "url": "{{inputs.tokenUrl}}", "bodyType": "form",
                  "body": { "grant_type": "{{this.params.grant}}", "client_id": "{{inputs.clientId}}",
                            "client_secret": "{{inputs.clientSecret}}", "refresh_token": "{{this.params.refresh}}" } } ] }
            """, ModuleCode);
        await engine.ImportAppAsync($$$"""
            { "name": "crm", "allowedHosts": ["{{{server.HostPort}}}"], "modules": [ { "name": "Auth_Module", "module": "Auth@1",
                "inputs": { "tokenUrl": "{{{server.Url("/token")}}}", "clientId": "c1", "clientSecret": "s3cret" } } ],
              "pages": [ { "name": "Home" } ] }
            """);
        var load = await engine.Runtime.LoadPageAsync("crm", "Home", "app");

        var first = await engine.RunAsync("crm", load.SessionId, "Auth_Module.getAccessToken");
        Assert.Null(first.Error);
        var token1 = first.Result!.GetValue<string>();
        Assert.Equal(1, issued);
        var stored = await engine.Store.ReadAsync("crm", "app");
        Assert.Equal($"\"{token1}\"", stored.Values["authAccessToken"]);
        Assert.Equal("\"r1\"", stored.Values["authRefreshToken"]);
        Assert.True(stored.Values.ContainsKey("authExpiresAt"));
        var request = Assert.Single(server.Requests);
        Assert.Contains("grant_type=client_credentials", request.Body);
        Assert.Contains("client_secret=s3cret", request.Body);

        var second = await engine.RunAsync("crm", load.SessionId, "Auth_Module.getAccessToken");
        Assert.Equal(token1, second.Result!.GetValue<string>());
        Assert.Equal(1, issued);

        await Task.Delay(lifetime + TimeSpan.FromMilliseconds(1100)); // exp has whole-second resolution
        var third = await engine.RunAsync("crm", load.SessionId, "Auth_Module.getAccessToken");
        Assert.Null(third.Error);
        Assert.NotEqual(token1, third.Result!.GetValue<string>());
        Assert.Equal(2, issued);
        Assert.Contains("grant_type=refresh_token", server.Requests[1].Body);
        Assert.Contains("refresh_token=r1", server.Requests[1].Body);
        Assert.Equal("\"r2\"", (await engine.Store.ReadAsync("crm", "app")).Values["authRefreshToken"]);
        Assert.Contains(third.Logs, l => l.Text.StartsWith("stored a token expiring at", StringComparison.Ordinal));
    }
}
