using System.Net;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Infrastructure;
using static LowCodeTokens.Tests.Host.PageLoadEndToEndTests;

namespace LowCodeTokens.Tests.Security;

/// <summary>
/// Issue 15 item 2 (SPEC §5: secret inputs and datasource secrets never appear in API responses): the admin export masks
/// them; sending the export back keeps the stored secrets; a placeholder with nothing stored behind it is a located 400.
/// </summary>
public sealed class SecretExportTests : IAsyncLifetime
{
    private const string ApiKey = "ds-literal-api-key-0123456789";
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lct-export-").FullName;
    private OAuthTestServer _oauth = null!;
    private EngineHostFactory _host = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _oauth = await OAuthTestServer.StartNewAsync();
        _oauth.ClientSecret = "client-secret-" + Guid.NewGuid().ToString("N");
        _host = new EngineHostFactory(_dataDir);
        _admin = _host.Admin();
        var app = JsonNode.Parse(SpecApp(_oauth))!.AsObject();
        app["datasources"]![0]!["headers"] = new JsonObject { ["X-Api-Key"] = ApiKey, ["Accept"] = "application/json" };
        await PublishAndImportAsync(_admin, app.ToJsonString());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _oauth.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Export_MasksSecretInputsAndDatasourceCredentials_AndReimportKeepsTheStoredSecrets()
    {
        var export = await _admin.GetStringAsync("/api/apps/crm");
        Assert.DoesNotContain(_oauth.ClientSecret, export);
        Assert.DoesNotContain(ApiKey, export);
        var exported = JsonNode.Parse(export)!;
        Assert.Equal(StoredSecrets.Placeholder, exported["modules"]![0]!["inputs"]!["clientSecret"]!.GetValue<string>());
        Assert.Equal(StoredSecrets.Placeholder, exported["datasources"]![0]!["headers"]!["X-Api-Key"]!.GetValue<string>());
        // What is not a secret is exported as written: the client id, a plain header, a header that is a binding.
        Assert.Equal(_oauth.ClientId, exported["modules"]![0]!["inputs"]!["clientId"]!.GetValue<string>());
        Assert.Equal("application/json", exported["datasources"]![0]!["headers"]!["Accept"]!.GetValue<string>());
        Assert.Equal("JWT {{Auth_Module.getAccessToken.data}}", exported["pages"]![0]!["queries"]![0]!["headers"]!["Authorization"]!.GetValue<string>());

        // The export, edited and sent back: the secrets it masked are the ones stored.
        exported["pages"]![0]!["jsObjects"]![0]!["code"] = "export default { onPageLoad: () => Auth_Module.getAccessToken().then(() => getusers_API.run()), edited: () => 1 }";
        var reimported = await _admin.PutAsync("/api/apps/crm", Json(exported.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, reimported.StatusCode);

        var load = JsonNode.Parse(await (await _admin.PostAsync("/api/apps/crm/pages/Home/load", Json("{}"))).Content.ReadAsStringAsync())!;
        Assert.All(load["actions"]!.AsArray(), a => Assert.Equal("success", a!["status"]!.GetValue<string>()));
        var tokenRequest = Assert.Single(_oauth.TokenRequestLog);
        Assert.Equal(_oauth.ClientSecret, tokenRequest.Form["client_secret"]); // the secret kept, not the placeholder
        Assert.DoesNotContain(_oauth.ClientSecret, await _admin.GetStringAsync("/api/apps/crm"));
    }

    [Fact]
    public async Task Placeholder_WithNoSecretStoredThere_Is400NamingTheField_AndNothingStoredChanges()
    {
        var before = await _admin.GetStringAsync("/api/apps/crm");
        var exported = JsonNode.Parse(before)!.AsObject();
        exported["modules"]![0]!["name"] = "Other_Auth"; // a new instance: no secret stored for it
        var response = await _admin.PutAsync("/api/apps/crm", Json(exported.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains("modules[0].inputs.clientSecret", problem);
        Assert.Contains("send the secret itself", problem);
        Assert.Equal(before, await _admin.GetStringAsync("/api/apps/crm"));

        exported["name"] = "fresh";
        var fresh = await _admin.PutAsync("/api/apps/fresh", Json(exported.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/apps/fresh")).StatusCode);
    }
}
