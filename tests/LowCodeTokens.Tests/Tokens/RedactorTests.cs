using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Tokens;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Tokens;

public sealed class RedactorTests
{
    private static readonly string Jwt = TestJwt.Create(new { sub = "client", exp = 1_900_000_000 });

    [Fact]
    public void Text_JwtKnownSecretAndKeyValue_MaskedKeepingAtMostFourChars()
    {
        var r = new Redactor(["s3cret-value-123", "ab"]);
        var text = r.Text($"got {Jwt} with s3cret-value-123; form refresh_token=rt-0123456789&scope=read, ab stays");
        Assert.DoesNotContain(Jwt, text);
        Assert.Contains("eyJh…(masked)", text);
        Assert.Contains("s3cr…(masked)", text);
        Assert.DoesNotContain("rt-0123456789", text);
        Assert.Contains("scope=read", text);
        Assert.Contains("ab stays", text);
        Assert.Equal("ab…(masked)", Redactor.Mask("abcdefgh"));
        Assert.Equal("…(masked)", Redactor.Mask("abc"));
    }

    [Fact]
    public void Json_SensitiveKeysAndJwtValues_MaskedOtherValuesKept()
    {
        var r = new Redactor([]);
        var masked = r.Json(JsonNode.Parse($$"""
            { "access_token": "opaque-0123456789", "token_type": "Bearer", "expires_in": 3600, "clientSecret": "x1234567",
              "headers": { "Authorization": "JWT {{Jwt}}" }, "list": ["{{Jwt}}", "plain"], "tokenUrl": "http://h/token", "password": 42 }
            """))!.ToJsonString();
        Assert.DoesNotContain("opaque-0123456789", masked);
        Assert.DoesNotContain("x1234567", masked);
        Assert.DoesNotContain(Jwt, masked);
        Assert.Contains("\"Bearer\"", masked);
        Assert.Contains("3600", masked);
        Assert.Contains("\"plain\"", masked);
        Assert.Contains("http://h/token", masked);
    }
}
