namespace LowCodeTokens.Engine.Bindings;

/// <summary>Splits a string into literal text and <c>{{ expr }}</c> bindings.</summary>
/// <remarks>
/// The expression is scanned as JavaScript far enough to find its end: braces are matched, and the
/// contents of string literals, template literals (with nested <c>${ }</c>) and comments are skipped,
/// so <c>{{ {a: {b: 1}} }}</c> and <c>{{ "}}" }}</c> are single bindings. Regular-expression literals
/// are not recognised (telling them from division needs a full parser); a <c>}</c> inside one must be escaped.
/// </remarks>
public static class TemplateParser
{
    /// <summary>Parses <paramref name="source"/>. Binding segments hold the trimmed expression and its offset in the source.</summary>
    /// <exception cref="TemplateSyntaxException">A <c>{{</c> is never closed, or a binding is empty.</exception>
    public static Template Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var segments = new List<TemplateSegment>();
        int literalStart = 0;
        int open = source.IndexOf("{{", StringComparison.Ordinal);
        while (open >= 0)
        {
            int exprStart = open + 2;
            int close = ExpressionScanner.FindEnd(source, exprStart, untilDoubleBrace: true);
            if (close < 0)
                throw new TemplateSyntaxException(
                    $"Unclosed binding: the '{{{{' at offset {open} has no matching '}}}}' " +
                    "(or its expression has an unterminated string, template literal or comment).", open);

            int start = exprStart, end = close;
            while (start < end && char.IsWhiteSpace(source[start])) start++;
            while (end > start && char.IsWhiteSpace(source[end - 1])) end--;
            if (start == end)
                throw new TemplateSyntaxException($"Empty binding at offset {open}: '{{{{ }}}}' needs an expression.", open);

            if (open > literalStart)
                segments.Add(new TemplateSegment(source[literalStart..open], false, literalStart));
            segments.Add(new TemplateSegment(source[start..end], true, start));
            literalStart = close + 2;
            open = source.IndexOf("{{", literalStart, StringComparison.Ordinal);
        }
        if (literalStart < source.Length || segments.Count == 0)
            segments.Add(new TemplateSegment(source[literalStart..], false, literalStart));
        return new Template(source, segments);
    }
}
