namespace LowCodeTokens.Host.Contracts;

public sealed record AppListResponse(IReadOnlyList<string> Apps);
