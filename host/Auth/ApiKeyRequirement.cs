namespace LowCodeTokens.Host.Auth;

/// <summary>Endpoint metadata read by <see cref="ApiKeyMiddleware"/>; the most specific one (endpoint over group) wins.</summary>
public sealed record ApiKeyRequirement(ApiKeyAccess Access);
