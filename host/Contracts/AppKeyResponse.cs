namespace LowCodeTokens.Host.Contracts;

/// <summary>A new app key, shown once: only its hash is stored.</summary>
public sealed record AppKeyResponse(string Key);
