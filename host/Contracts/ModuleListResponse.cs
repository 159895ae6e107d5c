namespace LowCodeTokens.Host.Contracts;

public sealed record ModuleListResponse(IReadOnlyList<string> Modules);
