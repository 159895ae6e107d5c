using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Tokens;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LowCodeTokens.Tests.Telemetry;

/// <summary>
/// <c>tokens.event(type, details)</c>: a module reports lifecycle events of its credential; the details are checked so that a
/// token has nowhere to go (unknown fields refused, errors masked), and page code cannot report at all.
/// </summary>
public sealed class TokenEventGlobalTests : IAsyncLifetime
{
    private const string SecretInput = "secret-input-value-0123456789";
    private readonly EngineHarness _engine = EngineHarness.Create();
    private string _session = "";

    public async Task InitializeAsync()
    {
        await _engine.PublishModuleAsync("""
            { "name": "Probe", "version": "1.0.0", "inputs": { "clientSecret": { "default": "", "secret": true } } }
            """, "export default { report(type, details) { tokens.event(type, details); return 'ok'; } }");
        await _engine.ImportAppAsync(new JsonObject
        {
            ["name"] = "probe",
            ["modules"] = new JsonArray(new JsonObject { ["name"] = "Probe_Module", ["module"] = "Probe@1", ["inputs"] = new JsonObject { ["clientSecret"] = SecretInput } }),
            ["pages"] = new JsonArray(new JsonObject
            {
                ["name"] = "Home",
                ["jsObjects"] = new JsonArray(new JsonObject { ["name"] = "JSObject1", ["code"] = "export default { fromPage() { tokens.event('issued', {}); } }" }),
            }),
        }.ToJsonString());
        _session = (await _engine.Runtime.LoadPageAsync("probe", "Home", "carol")).SessionId;
    }

    private IReadOnlyList<TokenEvent> Events => _engine.Services.GetRequiredService<ITokenEventLog>().Query("probe", new TokenEventQuery());

    private async Task<string?> ReportAsync(string type, JsonObject details)
    {
        var result = await _engine.RunAsync("probe", _session, "Probe_Module.report", new JsonArray(type, details).ToJsonString());
        return result.Error?.Message;
    }

    [Fact]
    public async Task Report_ErrorHoldingASecretInputAndAJwt_RecordedForTheInstanceAndScopeWithBothMasked()
    {
        var jwt = TestJwt.Create(new { sub = "x", exp = 2_000_000_000 });
        Assert.Null(await ReportAsync("refresh-failed", new JsonObject
        {
            ["grant"] = "client_credentials", ["failures"] = 2, ["status"] = 503, ["error"] = $"server echoed {SecretInput} and {jwt}",
        }));
        var e = Assert.Single(Events);
        Assert.Equal(("refresh-failed", "Probe_Module", "carol", "client_credentials", 2, 503), (e.Type, e.Module, e.Scope, e.Grant, e.Failures, e.Status));
        Assert.DoesNotContain(SecretInput, e.Error);
        Assert.DoesNotContain(jwt, e.Error);
        Assert.Contains("server echoed", e.Error);
    }

    [Fact]
    public async Task Report_TokenInAnUnknownFieldOrAsTheGrant_RefusedAndNothingRecorded()
    {
        var jwt = TestJwt.Create(new { sub = "x" });
        Assert.Contains("unknown detail 'accessToken'", await ReportAsync("refreshed", new JsonObject { ["accessToken"] = jwt }));
        Assert.Contains("details.grant", await ReportAsync("refreshed", new JsonObject { ["grant"] = SecretInput }));
        Assert.Contains("details.grant", await ReportAsync("refreshed", new JsonObject { ["grant"] = "a b" }));
        Assert.Contains("must be one of", await ReportAsync("token-leaked", new JsonObject()));
        Assert.Contains("details.expiresAt must be epoch milliseconds", await ReportAsync("issued", new JsonObject { ["expiresAt"] = "tomorrow" }));
        Assert.Contains("details.failures must be an integer", await ReportAsync("refresh-failed", new JsonObject { ["failures"] = 1.5 }));
        Assert.Empty(Events);
    }

    [Fact]
    public async Task Report_FromPageCode_Refused()
    {
        var result = await _engine.RunAsync("probe", _session, "JSObject1.fromPage");
        Assert.Contains("only modules report token events", result.Error?.Message);
        Assert.Empty(Events);
    }

    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();
}
