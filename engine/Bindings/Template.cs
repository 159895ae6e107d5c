namespace LowCodeTokens.Engine.Bindings;

/// <summary>A string split into literal text and <c>{{ expr }}</c> bindings.</summary>
public sealed record Template(string Source, IReadOnlyList<TemplateSegment> Segments)
{
    /// <summary>True when the whole string is exactly one binding (surrounding whitespace allowed): it yields the raw value.</summary>
    public bool IsSingleBinding => Segments.Count(s => s.IsBinding) == 1 && Segments.All(s => s.IsBinding || string.IsNullOrWhiteSpace(s.Text));
    public bool HasBindings => Segments.Any(s => s.IsBinding);
    public IEnumerable<string> Expressions => Segments.Where(s => s.IsBinding).Select(s => s.Text);
}

/// <summary>Literal text, or a binding's expression (without braces). <see cref="Offset"/> is where it starts in the source.</summary>
public sealed record TemplateSegment(string Text, bool IsBinding, int Offset);
