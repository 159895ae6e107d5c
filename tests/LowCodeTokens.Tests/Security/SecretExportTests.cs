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
public sealed class SecretExportTests : OAuthHostTest
{
    private const string ApiKey = "ds-literal-api-key-0123456789";

    protected override async Task SetUpAsync()
    {
        OAuth.ClientSecret = "client-secret-" + Guid.NewGuid().ToString("N");
        var app = JsonNode.Parse(SpecApp(OAuth))!.AsObject();
        app["datasources"]![0]!["headers"] = new JsonObject { ["X-Api-Key"] = ApiKey, ["Accept"] = "application/json" };
        await PublishAndImportAsync(Admin, app.ToJsonString());
    }

    [Fact]
    public async Task Export_MasksSecretInputsAndDatasourceCredentials_AndReimportKeepsTheStoredSecrets()
    {
        var export = await Admin.GetStringAsync("/api/apps/crm");
        Assert.DoesNotContain(OAuth.ClientSecret, export);
        Assert.DoesNotContain(ApiKey, export);
        var exported = JsonNode.Parse(export)!;
        Assert.Equal(StoredSecrets.Placeholder, exported["modules"]![0]!["inputs"]!["clientSecret"]!.GetValue<string>());
        Assert.Equal(StoredSecrets.Placeholder, exported["datasources"]![0]!["headers"]!["X-Api-Key"]!.GetValue<string>());
        // What is not a secret is exported as written: the client id, a plain header, a header that is a binding.
        Assert.Equal(OAuth.ClientId, exported["modules"]![0]!["inputs"]!["clientId"]!.GetValue<string>());
        Assert.Equal("application/json", exported["datasources"]![0]!["headers"]!["Accept"]!.GetValue<string>());
        Assert.Equal("JWT {{Auth_Module.getAccessToken.data}}", exported["pages"]![0]!["queries"]![0]!["headers"]!["Authorization"]!.GetValue<string>());

        // The export, edited and sent back: the secrets it masked are the ones stored.
        exported["pages"]![0]!["jsObjects"]![0]!["code"] = "export default { onPageLoad: () => Auth_Module.getAccessToken().then(() => getusers_API.run()), edited: () => 1 }";
        var reimported = await Admin.PutAsync("/api/apps/crm", Json(exported.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, reimported.StatusCode);

        var load = JsonNode.Parse(await (await Admin.PostAsync("/api/apps/crm/pages/Home/load", Json("{}"))).Content.ReadAsStringAsync())!;
        Assert.All(load["actions"]!.AsArray(), a => Assert.Equal("success", a!["status"]!.GetValue<string>()));
        var tokenRequest = Assert.Single(OAuth.TokenRequestLog);
        Assert.Equal(OAuth.ClientSecret, tokenRequest.Form["client_secret"]); // the secret kept, not the placeholder
        Assert.DoesNotContain(OAuth.ClientSecret, await Admin.GetStringAsync("/api/apps/crm"));
    }

    [Fact]
    public async Task Placeholder_WithNoSecretStoredThere_Is400NamingTheField_AndNothingStoredChanges()
    {
        var before = await Admin.GetStringAsync("/api/apps/crm");
        var exported = JsonNode.Parse(before)!.AsObject();
        exported["modules"]![0]!["name"] = "Other_Auth"; // a new instance: no secret stored for it
        var response = await Admin.PutAsync("/api/apps/crm", Json(exported.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains("modules[0].inputs.clientSecret", problem);
        Assert.Contains("send the secret itself", problem);
        Assert.Equal(before, await Admin.GetStringAsync("/api/apps/crm"));

        exported["name"] = "fresh";
        var fresh = await Admin.PutAsync("/api/apps/fresh", Json(exported.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync("/api/apps/fresh")).StatusCode);
    }
}
