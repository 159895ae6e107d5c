using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Tokens;

/// <summary>
/// Issue 15 item 3: what a load or run returns is masked with the tokens known before the request and after it — a 401
/// that echoes the token a refresh then replaced, and widget binding errors that quote a token.
/// </summary>
public sealed class ReplacedTokenRedactionTests
{
    [Fact]
    public async Task Load_401EchoingTheTokenThenRefreshAndRerun_TheReplacedTokenIsMaskedInActions()
    {
        await using var app = await AuthApp.StartAsync(server: s =>
        {
            s.TokenFormat = AccessTokenFormat.Opaque; // not JWT-shaped: only knowing it masks it
            s.EchoAuthorizationOn401 = true;
        });
        var first = await app.LoadAsync();
        Assert.All(first.Actions, a => Assert.Equal("success", a.Status));
        var replaced = await app.StoredStringAsync("authAccessToken");
        Assert.NotNull(replaced);

        app.Server.RevokeAccessTokens(); // the API answers 401 quoting the token; the module refreshes; the query re-runs
        var second = await app.LoadAsync();
        var current = await app.StoredStringAsync("authAccessToken");
        Assert.NotEqual(replaced, current);
        Assert.Contains(second.Actions, a => a.Name == "getusers_API" && a.Status == "success");

        var returned = JsonSerializer.Serialize(second);
        Assert.Contains("rejected", returned); // the upstream's echo is in the result…
        Assert.DoesNotContain(replaced!, returned); // …masked
        Assert.DoesNotContain(current!, JsonSerializer.Serialize(second.Actions));
    }

    [Fact]
    public async Task WidgetBindingError_QuotingTheToken_IsMasked_WhileBoundValuesStayAsBound()
    {
        await using var app = await AuthApp.StartAsync(server: s => s.TokenFormat = AccessTokenFormat.Opaque, page: page =>
            page["widgets"]!.AsArray().Add(new JsonObject
            {
                ["name"] = "Text1", ["type"] = "text", ["text"] = "{{BigInt(Auth_Module.getAccessToken.data)}}",
            }));
        var load = await app.LoadAsync();
        var token = await app.StoredStringAsync("authAccessToken");
        Assert.NotNull(token);

        var error = load.Widgets["Text1"]!["errors"]!["text"]!.GetValue<string>();
        Assert.Contains("BigInt", error);
        Assert.DoesNotContain(token!, error);
        Assert.Contains(Engine.Tokens.Redactor.Suffix, error);
        Assert.Equal(3, load.Widgets["Table1"]!["tableData"]!.AsArray().Count);
    }
}
