using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace LowCodeTokens.Tests.Security;

/// <summary>Through the real host and engine: keys on every route, encryption at rest, queries refused end to end.</summary>
public sealed class HostSecurityTests : OAuthHostTest
{
    protected override async Task SetUpAsync()
    {
        await PageLoadEndToEndTests.PublishAndImportAsync(Admin, PageLoadEndToEndTests.SpecApp(OAuth));
    }

    private async Task<string> AppKeyAsync(string app)
    {
        if (app != "crm")
        {
            var imported = await Admin.PutAsync($"/api/apps/{app}", PageLoadEndToEndTests.Json($$"""{ "name": "{{app}}", "pages": [ { "name": "Home" } ] }"""));
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        }
        var response = await Admin.PostAsync($"/api/apps/{app}/keys", null);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["key"]!.GetValue<string>();
    }

    [Fact]
    public async Task EveryApiRoute_RejectsNoKey401_AndAnotherAppsKey403()
    {
        var otherKey = await AppKeyAsync("other");
        var routes = HostFactory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (Method: m, Path: Fill(e.RoutePattern))))
            .ToList();
        Assert.True(routes.Count >= 9, $"only {routes.Count} routes found");

        var anonymous = HostFactory.CreateClient();
        var foreign = HostFactory.CreateClient();
        foreign.DefaultRequestHeaders.Add("X-Api-Key", otherKey);
        var failures = new List<string>();
        foreach (var (method, path) in routes)
        {
            var none = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(method) });
            if (none.StatusCode != HttpStatusCode.Unauthorized) failures.Add($"{method} {path} without a key: {(int)none.StatusCode}");
            var other = await foreign.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(method) });
            if (other.StatusCode != HttpStatusCode.Forbidden) failures.Add($"{method} {path} with app 'other''s key: {(int)other.StatusCode}");
        }
        Assert.Empty(failures);
        // The crm definition is still there: nothing ran.
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync("/api/apps/crm")).StatusCode);
    }

    private static StringContent? Body(string method) => method is "GET" or "DELETE" ? null : PageLoadEndToEndTests.Json("{}");

    private static string Fill(RoutePattern pattern) => "/" + string.Join("/", pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
    {
        RoutePatternLiteralPart l => l.Content,
        RoutePatternParameterPart { Name: "app" } => "crm",
        RoutePatternParameterPart { Name: "page" } => "Home",
        RoutePatternParameterPart { Name: "name" } => "Auth",
        RoutePatternParameterPart { Name: "version" } => "9.9.9",
        RoutePatternParameterPart prm => "x-" + prm.Name,
        _ => "",
    }))));

    [Fact]
    public async Task CopiedSqliteFiles_AfterAPageLoadStoredAToken_DoNotRevealIt()
    {
        var load = await Admin.PostAsync("/api/apps/crm/pages/Home/load", PageLoadEndToEndTests.Json("{}"));
        Assert.Equal(HttpStatusCode.OK, load.StatusCode);
        var stored = await HostFactory.Services.GetRequiredService<IAppStore>().ReadAsync("crm", "app");
        var token = JsonNode.Parse(stored.Values["authToken"])!.GetValue<string>();
        Assert.Equal(3, token.Split('.').Length);

        // What an attacker who copies the database (not the keys directory) gets, while the host runs.
        var copies = CopyDatabaseFiles(DataDir);
        Assert.NotEmpty(copies);
        var bytes = copies.SelectMany(b => b).ToArray();
        Assert.True(Contains(bytes, "authToken"), "the scan must see the store's rows");
        var payload = token.Split('.')[1];
        foreach (var needle in new[] { token, payload, Convert.ToBase64String(Encoding.UTF8.GetBytes(token)), OAuth.ClientSecret })
            Assert.False(Contains(bytes, needle), $"found '{needle[..Math.Min(12, needle.Length)]}…' in the database files");
    }

    // Other tests clear SQLite's global pool; the last connection closing checkpoints and deletes the -wal between
    // listing and copying it. Then the data is in the main file: copy the set again.
    private static List<byte[]> CopyDatabaseFiles(string dir)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return Directory.GetFiles(dir, "lowcodetokens.db*").Select(f => File.ReadAllBytes(CopyShared(f))).ToList();
            }
            catch (FileNotFoundException) when (attempt < 5)
            {
            }
        }
    }

    private static string CopyShared(string path)
    {
        var copy = Path.GetTempFileName();
        using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var target = File.Create(copy);
        source.CopyTo(target);
        return copy;
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;

    [Fact]
    public async Task PageLoad_QueryRedirectedToAnotherHost_AndMetadataAddress_AreRefused()
    {
        await using var api = await TestApiServer.StartAsync();
        await using var elsewhere = await TestApiServer.StartAsync();
        api.MapRedirect("GET", "/go", elsewhere.Url("/landing"));
        var app = $$"""
            { "name": "ssrf",
              "datasources": [ { "name": "api", "baseUrl": "{{api.Url("")}}", "allowedHosts": ["{{api.HostPort}}"] } ],
              "pages": [ { "name": "Home",
                "queries": [ { "name": "redirected", "datasource": "api", "url": "/go" },
                             { "name": "metadata", "url": "http://169.254.169.254/latest/meta-data/" } ],
                "jsObjects": [ { "name": "JSObject1", "runOnPageLoad": ["onPageLoad"],
                  "code": "export default { async onPageLoad() { const r = []; for (const q of [redirected, metadata]) { try { await q.run(); r.push('ran'); } catch (e) { r.push(String(e.message)); } } return r; } }" } ] } ] }
            """;
        var imported = await Admin.PutAsync("/api/apps/ssrf", PageLoadEndToEndTests.Json(app));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());

        var response = await Admin.PostAsync("/api/apps/ssrf/pages/Home/load", PageLoadEndToEndTests.Json("{}"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var actions = JsonNode.Parse(text)!["actions"]!.AsArray();
        var redirected = actions.Single(a => a!["name"]!.GetValue<string>() == "redirected")!;
        var metadata = actions.Single(a => a!["name"]!.GetValue<string>() == "metadata")!;
        Assert.Equal("error", redirected["status"]!.GetValue<string>());
        Assert.Equal("error", metadata["status"]!.GetValue<string>());
        Assert.Contains("169.254.169.254", metadata["error"]!.GetValue<string>());
        Assert.Empty(elsewhere.Requests); // the redirect was never followed
    }
}
