using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Infrastructure;
using static LowCodeTokens.Tests.Host.PageLoadEndToEndTests;

namespace LowCodeTokens.Tests.Security;

/// <summary>
/// Issue 15 item 14, through the host: names unique ignoring case, scopes without control or format characters, strict
/// SemVer, and only the functions a JS object declares runnable as actions.
/// </summary>
public sealed class NameRulesTests : OAuthHostTest
{
    protected override async Task SetUpAsync()
    {
        await PublishAndImportAsync(Admin, SpecApp(OAuth, ", count: () => 3, data: [1, 2], label: 'x'"));
    }

    [Fact]
    public async Task AppAndModuleNames_DifferingOnlyByCase_AreAConflict()
    {
        var app = await Admin.PutAsync("/api/apps/CRM", Json("""{ "name": "CRM", "pages": [ { "name": "Home" } ] }"""));
        Assert.Equal(HttpStatusCode.Conflict, app.StatusCode);
        Assert.Contains("an app named 'crm' exists", await app.Content.ReadAsStringAsync());
        var apps = await Admin.GetStringAsync("/api/apps");
        Assert.DoesNotContain("CRM", apps);

        var module = JsonNode.Parse(ModuleJson)!.AsObject();
        module["name"] = "AUTH";
        module["code"] = ModuleCode;
        var published = await Admin.PutAsync("/api/modules/AUTH/versions/1.0.0", Json(module.ToJsonString()));
        Assert.Equal(HttpStatusCode.Conflict, published.StatusCode);
        Assert.Contains("a module named 'Auth' exists", await published.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("alice\u0000admin", "U+0000")]
    [InlineData("alice\r\nINFO forged line", "U+000D")]
    [InlineData("alice\u202Enimda", "U+202E")]   // right-to-left override
    [InlineData("ali\u200Dce", "U+200D")]        // zero-width joiner
    public async Task Scope_WithControlFormatOrBrokenCharacters_Is400NamingTheCharacter(string scope, string named)
    {
        var response = await Admin.PostAsync("/api/apps/crm/pages/Home/load", Json(JsonSerializer.Serialize(new { scope })));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains(named, problem["errors"]!["scope"]![0]!.GetValue<string>());
        Assert.Equal(0, OAuth.TokenRequests); // nothing ran
    }

    [Theory]
    [InlineData("alice", 0xD800, "", "lone surrogate U+D800 (at 5)")]
    [InlineData("", 0xDC00, "alice", "lone surrogate U+DC00 (at 0)")]
    [InlineData("a\U0001F600b", 0xE0001, "", "format character U+E0001 (at 4)")] // an emoji is allowed, a tag character is not
    [InlineData("a\U0001F600b", 'c', "", null)]
    public void ScopeProblem_ReadsSurrogatePairsAsOneCharacter(string before, int codeUnitOrPoint, string after, string? named)
    {
        // Lone surrogates cannot travel in theory data as text; the scope is put together here.
        var middle = codeUnitOrPoint <= 0xFFFF ? ((char)codeUnitOrPoint).ToString() : char.ConvertFromUtf32(codeUnitOrPoint);
        var problem = LowCodeTokens.Engine.Definitions.Names.ScopeProblem(before + middle + after);
        if (named is null) Assert.Null(problem);
        else Assert.Contains(named, problem);
    }

    [Fact]
    public async Task Scope_WithALoneSurrogateEscape_Is400()
    {
        var response = await Admin.PostAsync("/api/apps/crm/pages/Home/load", Json("""{ "scope": "alice\uD800" }"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("scope", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, OAuth.TokenRequests);
    }

    [Fact]
    public async Task Scope_WithOrdinaryUnicode_IsAccepted()
    {
        var response = await Admin.PostAsync("/api/apps/crm/pages/Home/load", Json(JsonSerializer.Serialize(new { scope = "zoë@例え.jp 👩‍💻".Replace("\u200D", "") })));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("01.0.0")]
    [InlineData("1.00.0")]
    [InlineData("1.0.0-01")]
    [InlineData("1.0.0-beta..1")]
    [InlineData("1.0.0+build.5")]
    [InlineData("1.0")]
    public async Task ModuleVersion_NotStrictSemVer_Is400(string version)
    {
        var module = JsonNode.Parse(ModuleJson)!.AsObject();
        module["version"] = version;
        module["code"] = ModuleCode;
        var response = await Admin.PutAsync($"/api/modules/Auth/versions/{Uri.EscapeDataString(version)}", Json(module.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("semantic version", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ModuleVersion_PreRelease_IsPublished_ButARangeTakesTheHighestRelease()
    {
        var module = JsonNode.Parse(ModuleJson)!.AsObject();
        module["version"] = "1.1.0-beta.1";
        module["code"] = ModuleCode.Replace("return body.access_token;", "return 'beta';");
        Assert.Equal(HttpStatusCode.Created, (await Admin.PutAsync("/api/modules/Auth/versions/1.1.0-beta.1", Json(module.ToJsonString()))).StatusCode);

        var load = JsonNode.Parse(await (await Admin.PostAsync("/api/apps/crm/pages/Home/load", Json("{}"))).Content.ReadAsStringAsync())!;
        Assert.All(load["actions"]!.AsArray(), a => Assert.Equal("success", a!["status"]!.GetValue<string>())); // Auth@1 → 1.0.0

        var reference = await Admin.PutAsync("/api/apps/crm", Json(SpecApp(OAuth).Replace("Auth@1", "Auth@01")));
        Assert.Equal(HttpStatusCode.BadRequest, reference.StatusCode);
    }

    [Theory]
    [InlineData("JSObject1.constructor")]
    [InlineData("JSObject1.toString")]
    [InlineData("JSObject1.hasOwnProperty")]
    [InlineData("JSObject1.__proto__")]
    [InlineData("JSObject1.data")]
    [InlineData("JSObject1.label")]
    public async Task Run_OfAMemberTheObjectDoesNotDeclareAsAFunction_Is404(string action)
    {
        var load = JsonNode.Parse(await (await Admin.PostAsync("/api/apps/crm/pages/Home/load", Json("{}"))).Content.ReadAsStringAsync())!;
        var session = load["sessionId"]!.GetValue<string>();

        var refused = await Admin.PostAsync($"/api/apps/crm/sessions/{session}/run", Json(JsonSerializer.Serialize(new { action })));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("is not an action", await refused.Content.ReadAsStringAsync());

        var declared = await Admin.PostAsync($"/api/apps/crm/sessions/{session}/run", Json("""{ "action": "JSObject1.count" }"""));
        Assert.Equal(3, JsonNode.Parse(await declared.Content.ReadAsStringAsync())!["result"]!.GetValue<int>());
    }
}
