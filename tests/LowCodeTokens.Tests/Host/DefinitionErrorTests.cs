using System.Net;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Host;

/// <summary>Bad definitions are 400 problems that say where; what was stored before stays intact.</summary>
public sealed class DefinitionErrorTests : OAuthHostTest
{
    private string _goodApp = "";

    protected override async Task SetUpAsync()
    {
        _goodApp = PageLoadEndToEndTests.SpecApp(OAuth);
        await PageLoadEndToEndTests.PublishAndImportAsync(Admin, _goodApp);
    }

    private async Task<JsonNode> PutAppExpecting400(string json)
    {
        var response = await Admin.PutAsync("/api/apps/crm", PageLoadEndToEndTests.Json(json));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        // The definition stored before is untouched (exported with its secret input masked).
        var good = JsonNode.Parse(_goodApp)!;
        good["modules"]![0]!["inputs"]!["clientSecret"] = Engine.Runtime.StoredSecrets.Placeholder;
        Assert.Equal(good.ToJsonString(), JsonNode.Parse(await Admin.GetStringAsync("/api/apps/crm"))!.ToJsonString());
        return JsonNode.Parse(text)!["errors"]![0]!;
    }

    [Fact]
    public async Task ImportApp_InvalidJson_NamesLineAndColumn()
    {
        var error = await PutAppExpecting400("{ \"name\": \"crm\",\n  \"pages\": [ { \"name\": } ] }");
        Assert.Equal("app.json", error["file"]!.GetValue<string>());
        Assert.Equal(2, error["line"]!.GetValue<int>());
        Assert.NotNull(error["column"]);
    }

    [Fact]
    public async Task ImportApp_FieldOfTheWrongType_NamesTheField()
    {
        var error = await PutAppExpecting400("""{ "name": "crm", "pages": [ { "name": "Home", "queries": [ { "name": "q", "url": "/x", "timeoutMs": "soon" } ] } ] }""");
        Assert.Equal("pages[0].queries[0].timeoutMs", error["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImportApp_JsObjectSyntaxError_NamesFileLineAndColumn()
    {
        var error = await PutAppExpecting400("""{ "name": "crm", "pages": [ { "name": "Home", "jsObjects": [ { "name": "JSObject1", "code": "export default {\n  f: () => { return 1 +; }\n}" } ] } ] }""");
        Assert.Equal("JSObject1.js", error["file"]!.GetValue<string>());
        Assert.Equal(2, error["line"]!.GetValue<int>());
        Assert.Equal(24, error["column"]!.GetValue<int>());
    }

    [Fact]
    public async Task PublishModule_SyntaxError_NamesMainJsLineAndColumn()
    {
        var module = JsonNode.Parse(PageLoadEndToEndTests.ModuleJson)!.AsObject();
        module["version"] = "1.0.1";
        module["code"] = "export default {\n  async getAccessToken() {\n    return await;\n  },\n}";
        var response = await Admin.PutAsync("/api/modules/Auth/versions/1.0.1", PageLoadEndToEndTests.Json(module.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!;
        Assert.Equal("main.js", error["file"]!.GetValue<string>());
        Assert.Equal(3, error["line"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync("/api/modules/Auth")).StatusCode);
        Assert.DoesNotContain("1.0.1", await Admin.GetStringAsync("/api/modules/Auth"));
    }

    [Fact]
    public async Task ImportApp_UnknownModuleVersion_NamesTheInstance()
    {
        var error = await PutAppExpecting400(_goodApp.Replace("\"Auth@1\"", "\"Auth@2\""));
        Assert.Equal("modules[0].module", error["path"]!.GetValue<string>());
        Assert.Contains("1.0.0", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImportApp_BindingCycle_NamesTheCycle()
    {
        var error = await PutAppExpecting400("""
            { "name": "crm", "pages": [ { "name": "Home", "queries": [
                { "name": "a", "url": "http://127.0.0.1:1/{{b.data}}" },
                { "name": "b", "url": "http://127.0.0.1:1/{{a.data}}" } ] } ] }
            """);
        Assert.Contains("cycle", error["message"]!.GetValue<string>());
        Assert.Contains("a → b → a", error["message"]!.GetValue<string>());
        Assert.StartsWith("pages[0].queries[", error["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImportApp_BindingSyntaxError_NamesTheField()
    {
        var error = await PutAppExpecting400(_goodApp.Replace("{{getusers_API.data.results}}", "{{getusers_API.data.}}"));
        Assert.Equal("pages[0].widgets[0].tableData", error["path"]!.GetValue<string>());
    }
}
