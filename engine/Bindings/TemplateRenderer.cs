using System.Text;

namespace LowCodeTokens.Engine.Bindings;

/// <summary>Substitutes evaluated binding values into a <see cref="Template"/>.</summary>
/// <remarks>Every method takes one value per binding, in the order of <see cref="Template.Expressions"/>.</remarks>
public static class TemplateRenderer
{
    /// <summary>
    /// A single-binding template yields its value unchanged (undefined stays undefined); any other
    /// template yields its text rendering as a JSON string.
    /// </summary>
    public static BindingValue RenderRaw(Template template, IReadOnlyList<BindingValue> values) =>
        RenderRawCore(template, Check(template, values));

    /// <summary>
    /// Text rendering (URLs, headers, query params, form fields, text bodies): strings as is, numbers and
    /// booleans as JSON text, null as <c>null</c>, objects and arrays as JSON, undefined as the empty string.
    /// </summary>
    public static string RenderText(Template template, IReadOnlyList<BindingValue> values) =>
        RenderTextCore(template, Check(template, values));

    /// <summary>
    /// Smart JSON rendering of a JSON body template: a binding outside a JSON string becomes a JSON literal of
    /// its value's type (undefined: <c>null</c>); a binding inside a JSON string becomes its text form, JSON-escaped.
    /// </summary>
    public static string RenderSmartJson(Template template, IReadOnlyList<BindingValue> values) =>
        RenderSmartJsonCore(template, SmartJsonLayout.InsideStringFlags(template), Check(template, values));

    internal static BindingValue RenderRawCore(Template template, ReadOnlySpan<BindingValue> values)
    {
        if (template.IsSingleBinding) return values[0];
        return new BindingValue(
            "\"" + BindingValueFormatter.EscapeForJsonString(RenderTextCore(template, values)) + "\"");
    }

    internal static string RenderTextCore(Template template, ReadOnlySpan<BindingValue> values)
    {
        var segments = template.Segments;
        if (segments.Count == 1)
            return segments[0].IsBinding ? BindingValueFormatter.ToText(values[0]) : segments[0].Text;
        var sb = new StringBuilder(template.Source.Length + 32);
        int next = 0;
        foreach (var segment in segments)
            sb.Append(segment.IsBinding ? BindingValueFormatter.ToText(values[next++]) : segment.Text);
        return sb.ToString();
    }

    internal static string RenderSmartJsonCore(Template template, bool[] insideString, ReadOnlySpan<BindingValue> values)
    {
        var sb = new StringBuilder(template.Source.Length + 64);
        int next = 0;
        foreach (var segment in template.Segments)
        {
            if (!segment.IsBinding) { sb.Append(segment.Text); continue; }
            var value = values[next];
            sb.Append(insideString[next]
                ? BindingValueFormatter.EscapeForJsonString(BindingValueFormatter.ToText(value))
                : BindingValueFormatter.ToJsonLiteral(value));
            next++;
        }
        return sb.ToString();
    }

    private static ReadOnlySpan<BindingValue> Check(Template template, IReadOnlyList<BindingValue> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        int expected = template.Segments.Count(s => s.IsBinding);
        if (values.Count != expected)
            throw new ArgumentException($"The template has {expected} binding(s) but {values.Count} value(s) were given.", nameof(values));
        return values is BindingValue[] array ? array : values.ToArray();
    }
}
