using LowCodeTokens.Engine.Bindings;

namespace LowCodeTokens.Tests.Bindings;

public class TemplateParserTests
{
    [Fact]
    public void Parse_NoBindings_OneLiteralSegment()
    {
        var t = TemplateParser.Parse("/api/users");
        var segment = Assert.Single(t.Segments);
        Assert.False(segment.IsBinding);
        Assert.Equal("/api/users", segment.Text);
        Assert.False(t.HasBindings);
    }

    [Fact]
    public void Parse_EmptyString_OneEmptyLiteral()
    {
        var t = TemplateParser.Parse("");
        Assert.Equal("", Assert.Single(t.Segments).Text);
        Assert.False(t.HasBindings);
    }

    [Fact]
    public void Parse_MixedText_SegmentsWithTrimmedExpressionsAndOffsets()
    {
        const string source = "JWT {{  Auth_Module.getAccessToken.data }} x{{a}}";
        var t = TemplateParser.Parse(source);

        Assert.Equal(["Auth_Module.getAccessToken.data", "a"], t.Expressions);
        Assert.Equal(4, t.Segments.Count);
        Assert.Equal("JWT ", t.Segments[0].Text);
        Assert.Equal(source.IndexOf("Auth_Module", StringComparison.Ordinal), t.Segments[1].Offset);
        Assert.Equal(" x", t.Segments[2].Text);
        Assert.Equal(source.LastIndexOf('a'), t.Segments[3].Offset);
        Assert.False(t.IsSingleBinding);
    }

    [Fact]
    public void Parse_SingleBindingWithWhitespace_IsSingleBinding()
    {
        var t = TemplateParser.Parse("  {{ inputs.tokenUrl }} ");
        Assert.True(t.IsSingleBinding);
        Assert.Equal("inputs.tokenUrl", Assert.Single(t.Expressions));
    }

    [Theory]
    [InlineData("{{ {a: {b: 1}} }}", "{a: {b: 1}}")]
    [InlineData("{{{a:1}}}", "{a:1}")]
    [InlineData("{{ \"}}\" }}", "\"}}\"")]
    [InlineData("{{ '}}' + \"\\\"}}\" }}", "'}}' + \"\\\"}}\"")]
    [InlineData("{{ `x ${y}` }}", "`x ${y}`")]
    [InlineData("{{ `a ${ {k: `}}${z}`}.k } b` }}", "`a ${ {k: `}}${z}`}.k } b`")]
    [InlineData("{{ a /* }} */ + b }}", "a /* }} */ + b")]
    [InlineData("{{ a // }}\n + b }}", "a // }}\n + b")]
    [InlineData("{{ items.map(i => { return i.id }) }}", "items.map(i => { return i.id })")]
    public void Parse_ExpressionWithBracesStringsOrComments_OneBinding(string source, string expression)
    {
        var t = TemplateParser.Parse(source);
        Assert.True(t.IsSingleBinding);
        Assert.Equal(expression, Assert.Single(t.Expressions));
    }

    [Fact]
    public void Parse_ClosingBracesAfterBinding_StayLiteral()
    {
        var t = TemplateParser.Parse("{{x}}}");
        Assert.Equal("x", Assert.Single(t.Expressions));
        Assert.Equal("}", t.Segments[^1].Text);
    }

    [Theory]
    [InlineData("abc {{ x", 4)]
    [InlineData("{{ \"}} }}", 0)]
    [InlineData("ok {{a}} then {{ `x ${y }} ", 14)]
    [InlineData("{{ a /* }}", 0)]
    public void Parse_UnclosedBinding_ThrowsWithOffset(string source, int offset)
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => TemplateParser.Parse(source));
        Assert.Equal(offset, ex.Offset);
        Assert.Contains("Unclosed", ex.Message);
        Assert.Contains($"offset {offset}", ex.Message);
    }

    [Theory]
    [InlineData("{{}}", 0)]
    [InlineData("a {{   }}", 2)]
    public void Parse_EmptyBinding_ThrowsWithOffset(string source, int offset)
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => TemplateParser.Parse(source));
        Assert.Equal(offset, ex.Offset);
        Assert.Contains("Empty binding", ex.Message);
    }
}
