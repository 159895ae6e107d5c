namespace LowCodeTokens.Engine.Bindings;

/// <summary>For a JSON body template, which bindings sit inside a JSON string literal of the template text.</summary>
internal static class SmartJsonLayout
{
    /// <summary>One flag per binding, in order: true when the binding is inside a <c>"..."</c> of the literal text.</summary>
    /// <remarks>Only the literal segments are scanned, with JSON string/escape state carried across bindings; a binding counts as string content.</remarks>
    public static bool[] InsideStringFlags(Template template)
    {
        var flags = new List<bool>();
        bool inString = false, escaped = false;
        foreach (var segment in template.Segments)
        {
            if (segment.IsBinding)
            {
                flags.Add(inString);
                escaped = false;
                continue;
            }
            foreach (char c in segment.Text)
            {
                if (!inString)
                {
                    if (c == '"') inString = true;
                }
                else if (escaped) escaped = false;
                else if (c == '\\') escaped = true;
                else if (c == '"') inString = false;
            }
        }
        return flags.ToArray();
    }
}
