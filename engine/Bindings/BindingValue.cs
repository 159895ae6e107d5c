namespace LowCodeTokens.Engine.Bindings;

/// <summary>The value a binding evaluated to: JSON text, or undefined.</summary>
public readonly record struct BindingValue(string? Json)
{
    public static readonly BindingValue Undefined = new(null);
    public bool IsUndefined => Json is null;
}
