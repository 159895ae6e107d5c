using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Definitions.Folders;
using LowCodeTokens.Host.Demo;

namespace LowCodeTokens.Tests.Demo;

public sealed class DemoServersTests
{
    private static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LowCodeTokens.sln"))) return Path.Combine(dir.FullName, relative);
        throw new InvalidOperationException("repository root not found");
    }

    private static async Task<JsonElement> PostTokenAsync(HttpClient http, string url, Dictionary<string, string> form, HttpStatusCode expected)
    {
        using var response = await http.PostAsync(url, new FormUrlEncodedContent(form));
        Assert.Equal(expected, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task StartAsync_ClientCredentialsTokenOpensUsersApi_RefreshTokensRotate()
    {
        await using var demo = await DemoServers.StartAsync(CancellationToken.None);
        using var http = new HttpClient();
        var credentials = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "demo-client", ["client_secret"] = "demo-secret" };

        var token = await PostTokenAsync(http, demo.TokenUrl, credentials, HttpStatusCode.OK);
        Assert.Equal(300, token.GetProperty("expires_in").GetInt32());
        using var request = new HttpRequestMessage(HttpMethod.Get, demo.ApiBaseUrl + "/api/users");
        request.Headers.TryAddWithoutValidation("Authorization", "JWT " + token.GetProperty("access_token").GetString());
        using var users = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        var results = JsonDocument.Parse(await users.Content.ReadAsStringAsync()).RootElement.GetProperty("results");
        Assert.Equal(5, results.GetArrayLength());
        Assert.True(results[0].TryGetProperty("email", out _));

        using var anonymous = await http.GetAsync(demo.ApiBaseUrl + "/api/users");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var refresh = new Dictionary<string, string>(credentials) { ["grant_type"] = "refresh_token", ["refresh_token"] = token.GetProperty("refresh_token").GetString()! };
        var rotated = await PostTokenAsync(http, demo.TokenUrl, refresh, HttpStatusCode.OK);
        Assert.NotEqual(token.GetProperty("refresh_token").GetString(), rotated.GetProperty("refresh_token").GetString());
        var reused = await PostTokenAsync(http, demo.TokenUrl, refresh, HttpStatusCode.BadRequest);
        Assert.Equal("invalid_grant", reused.GetProperty("error").GetString());

        var wrong = new Dictionary<string, string>(credentials) { ["client_secret"] = "nope" };
        await PostTokenAsync(http, demo.TokenUrl, wrong, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task StartAsync_BasicClientAuth_IsAccepted()
    {
        await using var demo = await DemoServers.StartAsync(CancellationToken.None);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, demo.TokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo-client:demo-secret")));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task DemoAppJson_WithTheServersVariables_IsAnAppDefinitionWithoutPlaceholders()
    {
        await using var demo = await DemoServers.StartAsync(CancellationToken.None);
        var text = DefinitionFolderReader.Read(RepoFile("definitions"), demo.Variables).Apps.Single(a => a.Name == "crm").Json;

        Assert.DoesNotContain("${DEMO_", text);
        var app = JsonSerializer.Deserialize<AppDefinition>(text, DefinitionJson.Options)!;
        Assert.Equal("crm", app.Name);
        Assert.Equal(demo.TokenUrl, app.Modules.Single().Inputs["tokenUrl"].GetString());
        Assert.Equal([demo.ApiHost], app.Datasources.Single().AllowedHosts);
        var page = app.Pages.Single();
        Assert.Equal("JWT {{Auth_Module.getAccessToken.data}}", page.Queries.Single().Headers["Authorization"]);
        Assert.Equal(["onPageLoad"], page.JsObjects.Single().RunOnPageLoad);
        Assert.Contains(page.Widgets, w => w.Name == "Table1" && w.Properties["tableData"].GetString() == "{{getusers_API.data.results}}");
    }

    [Fact]
    public async Task AuthModuleJson_IsAModuleDefinitionWithSecretsAndSingleFlight()
    {
        var module = JsonSerializer.Deserialize<ModuleDefinition>(await File.ReadAllTextAsync(RepoFile("definitions/modules/auth/module.json")), DefinitionJson.Options)!;

        Assert.Equal("Auth", module.Name);
        Assert.Equal(["getAccessToken", "refreshAccessToken", "generateAccessToken"], module.SingleFlight);
        foreach (var secret in new[] { "clientSecret", "password", "refreshToken" })
            Assert.True(module.Inputs[secret].GetProperty("secret").GetBoolean(), secret);
        Assert.True(File.Exists(RepoFile("definitions/modules/auth/" + module.Main)));
        Assert.Equal(["token_body", "token_basic"], module.Queries.Select(q => q.Name));
    }
}
