namespace LowCodeTokens.Host.Contracts;

/// <summary>Body of a page load; optional. <see cref="Scope"/> is the end user the caller acts for.</summary>
public sealed record LoadPageRequest(string? Scope)
{
    public const string DefaultScope = "app";
}
