namespace LowCodeTokens.Engine.Bindings;

/// <summary>A <c>{{ }}</c> template that cannot be parsed: an unclosed or empty binding.</summary>
public sealed class TemplateSyntaxException : FormatException
{
    /// <summary>Creates the exception for a problem at <paramref name="offset"/> in the template source.</summary>
    public TemplateSyntaxException(string message, int offset, string? fieldPath = null) : base(message)
    {
        Offset = offset;
        FieldPath = fieldPath;
    }

    /// <summary>Zero-based position in the template source of the <c>{{</c> that opens the faulty binding.</summary>
    public int Offset { get; }

    /// <summary>Where the template sits in its definition (e.g. <c>headers.Authorization</c>), when known.</summary>
    public string? FieldPath { get; }
}
