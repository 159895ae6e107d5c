using System.Text.Json;
using LowCodeTokens.Engine.Bindings;

namespace LowCodeTokens.Tests.Bindings;

public class TemplateRendererTests
{
    private static BindingValue V(string json) => new(json);

    [Theory]
    [InlineData("\"abc\"", "JWT abc")]
    [InlineData("42", "JWT 42")]
    [InlineData("1.5", "JWT 1.5")]
    [InlineData("true", "JWT true")]
    [InlineData("null", "JWT null")]
    [InlineData("{\"a\":1}", "JWT {\"a\":1}")]
    [InlineData("[1,\"x\"]", "JWT [1,\"x\"]")]
    [InlineData("\"quote \\\" and \\u00e9\"", "JWT quote \" and é")]
    public void RenderText_ValueOfEachType_PrintedLikeJs(string json, string expected)
    {
        var t = TemplateParser.Parse("JWT {{token}}");
        Assert.Equal(expected, TemplateRenderer.RenderText(t, [V(json)]));
    }

    [Fact]
    public void RenderText_Undefined_EmptyString()
    {
        var t = TemplateParser.Parse("a{{x}}b");
        Assert.Equal("ab", TemplateRenderer.RenderText(t, [BindingValue.Undefined]));
    }

    [Fact]
    public void RenderText_SingleStringBinding_NoQuotes()
    {
        var t = TemplateParser.Parse("{{inputs.tokenUrl}}");
        Assert.Equal("http://x/token", TemplateRenderer.RenderText(t, [V("\"http://x/token\"")]));
    }

    [Fact]
    public void RenderText_WrongValueCount_Throws()
    {
        var t = TemplateParser.Parse("{{a}}{{b}}");
        Assert.Throws<ArgumentException>(() => TemplateRenderer.RenderText(t, [V("1")]));
    }

    [Fact]
    public void RenderRaw_SingleBinding_ReturnsValueUnchanged()
    {
        var t = TemplateParser.Parse(" {{ q.data.results }} ");
        Assert.Equal("[{\"id\":1}]", TemplateRenderer.RenderRaw(t, [V("[{\"id\":1}]")]).Json);
        Assert.True(TemplateRenderer.RenderRaw(t, [BindingValue.Undefined]).IsUndefined);
    }

    [Fact]
    public void RenderRaw_MixedText_JsonString()
    {
        var t = TemplateParser.Parse("Hello \"{{name}}\"");
        var raw = TemplateRenderer.RenderRaw(t, [V("\"Ann\"")]);
        Assert.Equal("Hello \"Ann\"", JsonSerializer.Deserialize<string>(raw.Json!));
    }

    [Theory]
    [InlineData("\"r-1\"", "r-1")]
    [InlineData("\"a\\\"b\\\\c\\n\"", "a\"b\\c\n")]
    public void RenderSmartJson_StringValue_JsonString(string json, string expected)
    {
        var t = TemplateParser.Parse("{\"refresh_token\": {{appsmith.store.authRefreshToken}}}");
        var output = TemplateRenderer.RenderSmartJson(t, [V(json)]);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(expected, doc.RootElement.GetProperty("refresh_token").GetString());
    }

    [Fact]
    public void RenderSmartJson_EachValueType_ValidJsonOfThatType()
    {
        var t = TemplateParser.Parse("{\"s\": {{s}}, \"n\": {{n}}, \"z\": {{z}}, \"o\": {{o}}, \"a\": {{a}}, \"b\": {{b}}, \"u\": {{u}}}");
        var output = TemplateRenderer.RenderSmartJson(t,
            [V("\"text\""), V("12.5"), V("null"), V("{\"k\":[1]}"), V("[1,2]"), V("false"), BindingValue.Undefined]);

        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("text", root.GetProperty("s").GetString());
        Assert.Equal(12.5, root.GetProperty("n").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("z").ValueKind);
        Assert.Equal(1, root.GetProperty("o").GetProperty("k")[0].GetInt32());
        Assert.Equal(2, root.GetProperty("a").GetArrayLength());
        Assert.Equal(JsonValueKind.False, root.GetProperty("b").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("u").ValueKind);
    }

    [Fact]
    public void RenderSmartJson_BindingInsideString_EscapedWithoutExtraQuotes()
    {
        var t = TemplateParser.Parse("{\"auth\": \"Bearer {{token}}\", \"raw\": {{token}}, \"note\": \"a \\\" {{n}} b\"}");
        var output = TemplateRenderer.RenderSmartJson(t, [V("\"ab\\\"c\""), V("\"ab\\\"c\""), V("{\"x\":1}")]);

        using var doc = JsonDocument.Parse(output);
        Assert.Equal("Bearer ab\"c", doc.RootElement.GetProperty("auth").GetString());
        Assert.Equal("ab\"c", doc.RootElement.GetProperty("raw").GetString());
        Assert.Equal("a \" {\"x\":1} b", doc.RootElement.GetProperty("note").GetString());
    }

    [Fact]
    public void RenderSmartJson_UndefinedInsideString_EmptyText()
    {
        var t = TemplateParser.Parse("{\"a\": \"x{{u}}y\"}");
        using var doc = JsonDocument.Parse(TemplateRenderer.RenderSmartJson(t, [BindingValue.Undefined]));
        Assert.Equal("xy", doc.RootElement.GetProperty("a").GetString());
    }

    [Fact]
    public void RenderSmartJson_WholeBodyOneBinding_ValueJson()
    {
        var t = TemplateParser.Parse("{{ body }}");
        Assert.Equal("{\"a\":[1]}", TemplateRenderer.RenderSmartJson(t, [V("{\"a\":[1]}")]));
    }
}
