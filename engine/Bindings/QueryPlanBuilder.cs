namespace LowCodeTokens.Engine.Bindings;

/// <summary>Parses a query's templates once, numbering their bindings in the order they are added.</summary>
internal sealed class QueryPlanBuilder
{
    public List<QueryBinding> Bindings { get; } = new();

    public TemplateSlot Add(string fieldPath, string source)
    {
        Template template;
        try
        {
            template = TemplateParser.Parse(source);
        }
        catch (TemplateSyntaxException ex)
        {
            throw new TemplateSyntaxException($"{fieldPath}: {ex.Message}", ex.Offset, fieldPath);
        }
        int start = Bindings.Count;
        foreach (var expression in template.Expressions)
            Bindings.Add(new QueryBinding(fieldPath, expression));
        return new TemplateSlot(template, start, Bindings.Count - start);
    }
}
