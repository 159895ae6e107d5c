namespace LowCodeTokens.Host.Contracts;

/// <summary>Body of <c>PUT /api/apps/{app}/webhooks/{id}</c>: where to deliver which lifecycle event types.</summary>
public sealed record WebhookRequest(string? Url, IReadOnlyList<string>? Events);
