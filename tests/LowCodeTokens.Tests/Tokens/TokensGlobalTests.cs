using LowCodeTokens.Tests.EngineTests;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Tokens;

/// <summary>The sandbox's <c>tokens</c> helper: SPEC §4's expiry chain and refresh point.</summary>
public sealed class TokensGlobalTests
{
    private const long Now = 1_800_000_000_000;

    private static Task<ScriptApp> StartAsync() => ScriptApp.StartAsync($$"""
        export default {
          expiresAt(body, defaultSeconds) { return tokens.expiresAt(body, { defaultSeconds, now: {{Now}} }) - {{Now}}; },
          refreshAt(issued, expires) { return tokens.refreshAt(issued, expires); },
          defaultNow() { const before = Date.now(); const at = tokens.expiresAt({ expires_in: 10 }); const after = Date.now(); return at >= before + 10000 && at <= after + 10000; },
        }
        """);

    [Fact]
    public async Task ExpiresAt_Chain_ExpiresInThenJwtExpThenDefaultThenFiveMinutes()
    {
        await using var app = await StartAsync();
        var jwt = TestJwt.Create(new { exp = Now / 1000 + 120 });
        Assert.Equal("3600000", await app.ValueAsync("JSObject1.expiresAt", $$"""[{ "access_token": "{{jwt}}", "expires_in": 3600 }]"""));
        Assert.Equal("3600000", await app.ValueAsync("JSObject1.expiresAt", """[{ "access_token": "opaque", "expires_in": "3600" }]"""));
        Assert.Equal("120000", await app.ValueAsync("JSObject1.expiresAt", $$"""[{ "access_token": "{{jwt}}" }]"""));
        Assert.Equal("120000", await app.ValueAsync("JSObject1.expiresAt", $$"""[{ "access_token": "{{jwt}}", "expires_in": null }, 40]"""));
        Assert.Equal("40000", await app.ValueAsync("JSObject1.expiresAt", """[{ "access_token": "opaque" }, 40]"""));
        Assert.Equal("300000", await app.ValueAsync("JSObject1.expiresAt", """[{ "access_token": "opaque" }]"""));
        Assert.Equal("300000", await app.ValueAsync("JSObject1.expiresAt", """[{ "access_token": "a.b.c", "expires_in": 0 }, "x"]"""));
        Assert.Equal("true", await app.ValueAsync("JSObject1.defaultNow")); // now = the engine's clock, read between two Date.now() calls
        Assert.Contains("expected a token response object", await app.ErrorAsync("JSObject1.expiresAt", "[\"text\"]"));
    }

    [Fact]
    public async Task RefreshAt_ShortAndLongTokens_QuarterOfLifetimeCappedAtSixtySeconds()
    {
        await using var app = await StartAsync();
        Assert.Equal("7500", await app.ValueAsync("JSObject1.refreshAt", "[0, 10000]"));
        Assert.Equal("3540000", await app.ValueAsync("JSObject1.refreshAt", "[0, 3600000]"));
        Assert.Equal("180000", await app.ValueAsync("JSObject1.refreshAt", "[0, 240000]"));
        Assert.Equal("5", await app.ValueAsync("JSObject1.refreshAt", "[10, 5]")); // already expired: no margin
        Assert.Contains("epoch milliseconds", await app.ErrorAsync("JSObject1.refreshAt", "[\"x\", 1]"));
    }
}
