using System.Net;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Tokens;
using static LowCodeTokens.Tests.Host.PageLoadEndToEndTests;

namespace LowCodeTokens.Tests.Telemetry;

/// <summary>Publishes the shipped Auth module (at its own version) and imports an app through the admin API.</summary>
internal static class ShippedAuthOverHttp
{
    public static async Task PublishAndImportAsync(HttpClient admin, JsonObject app)
    {
        var module = await AuthApp.ShippedModuleJsonAsync();
        var published = await admin.PutAsync($"/api/modules/Auth/versions/{module["version"]}", Json(module.ToJsonString()));
        Assert.True(published.IsSuccessStatusCode || published.StatusCode == HttpStatusCode.Conflict, await published.Content.ReadAsStringAsync());
        var imported = await admin.PutAsync($"/api/apps/{app["name"]}", Json(app.ToJsonString()));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
    }
}
