namespace LowCodeTokens.Host.Contracts;

/// <summary>A module's published versions, oldest first.</summary>
public sealed record ModuleVersionsResponse(string Name, IReadOnlyList<string> Versions);
