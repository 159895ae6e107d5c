namespace LowCodeTokens.Host.Contracts;

public sealed record HealthResponse(string Status);
