namespace LowCodeTokens.Engine.Bindings;

/// <summary>A parsed template and where its values start in a query's flat list of binding values.</summary>
internal readonly record struct TemplateSlot(Template Template, int Start, int Count)
{
    public ReadOnlySpan<BindingValue> Values(ReadOnlySpan<BindingValue> all) => all.Slice(Start, Count);

    public string RenderText(ReadOnlySpan<BindingValue> all) => TemplateRenderer.RenderTextCore(Template, Values(all));
}
