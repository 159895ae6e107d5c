using System.Net;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;

namespace LowCodeTokens.Tests.SignIn;

/// <summary>
/// Issue 12: <c>signIn</c> in app.json is validated like the rest (a located 400, nothing stored changes), its client secret
/// is masked on export and kept on re-import, and a re-import that changes it is what the next sign-in uses.
/// </summary>
public sealed class SignInDefinitionTests : IAsyncLifetime
{
    private SignInHost _host = null!;

    public async Task InitializeAsync() => _host = await SignInHost.StartAsync();

    private HttpClient Admin => _host.Host.Admin;

    [Fact]
    public async Task Export_MasksSignInClientSecret_ReimportKeepsIt_AndSignInStillWorks()
    {
        var export = await Admin.GetStringAsync("/api/apps/portal");
        Assert.DoesNotContain(SignInHost.ClientSecret, export);
        var exported = JsonNode.Parse(export)!;
        Assert.Equal(StoredSecrets.Placeholder, exported["signIn"]!["clientSecret"]!.GetValue<string>());
        Assert.Equal("portal", exported["signIn"]!["clientId"]!.GetValue<string>());

        using var reimported = await Admin.PutAsync("/api/apps/portal", SignInHost.Json(exported.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, reimported.StatusCode);
        // The provider checks the client secret when the code is redeemed: the kept secret is the real one.
        using var alice = new SignInFlow();
        await alice.SignInAsync(_host.PageUrl, "alice");
        Assert.Equal(2, (await _host.TokensOfAsync("alice")).Count);
    }

    [Fact]
    public async Task Import_InvalidSignIn_Is400NamingEachField_AndNothingStoredChanges()
    {
        var before = await Admin.GetStringAsync("/api/apps/portal");
        var app = JsonNode.Parse(before)!.AsObject();
        app["signIn"] = new JsonObject
        {
            ["authority"] = "ftp://idp.example/", ["clientId"] = "", ["scopes"] = new JsonArray("profile"), ["tokens"] = "Auth_Module",
        };
        using var invalid = await Admin.PutAsync("/api/apps/portal", SignInHost.Json(app.ToJsonString()));
        var problem = await invalid.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("signIn.authority", problem);
        Assert.Contains("signIn.clientId", problem);
        Assert.Contains("signIn.scopes", problem);
        Assert.Contains("must include 'openid'", problem);

        app["signIn"] = new JsonObject { ["authority"] = _host.Idp.Authority, ["clientId"] = "portal", ["tokens"] = "Missing_Module" };
        using var unknown = await Admin.PutAsync("/api/apps/portal", SignInHost.Json(app.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("signIn.tokens", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(before, await Admin.GetStringAsync("/api/apps/portal"));

        // A placeholder with no secret stored behind it (a new app) names the field.
        app["name"] = "fresh";
        app["signIn"] = JsonNode.Parse(before)!["signIn"]!.DeepClone();
        app["modules"]![0]!["inputs"]!["clientSecret"] = "a-secret-of-its-own"; // only the sign-in's placeholder is left
        using var fresh = await Admin.PutAsync("/api/apps/fresh", SignInHost.Json(app.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, fresh.StatusCode);
        Assert.Contains("signIn.clientSecret", await fresh.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Reimport_WithAnotherAuthority_NextSignInGoesThere()
    {
        using var browser = _host.Host.Browser();
        using var first = await browser.GetAsync("/apps/portal/signin?page=Home");
        Assert.StartsWith(_host.Idp.BaseUrl + "/connect/authorize?", first.Headers.Location!.ToString());

        await using var other = await FaultyOidcProvider.StartAsync();
        var app = JsonNode.Parse(await Admin.GetStringAsync("/api/apps/portal"))!.AsObject();
        app["signIn"]!["authority"] = other.Authority;
        using var reimported = await Admin.PutAsync("/api/apps/portal", SignInHost.Json(app.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, reimported.StatusCode);

        using var second = await browser.GetAsync("/apps/portal/signin?page=Home");
        Assert.StartsWith(other.Authority + "authorize?", second.Headers.Location!.ToString());
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
