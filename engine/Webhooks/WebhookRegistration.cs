namespace LowCodeTokens.Engine.Webhooks;

/// <summary>A webhook of an app: where lifecycle events of the listed types are delivered. Its secret is never shown again.</summary>
public sealed record WebhookRegistration(string Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt);

/// <summary>
/// The outcome of saving a webhook: the registration, its secret when it was just created (shown this once), or the
/// problems by field (<c>url</c>, <c>events</c>).
/// </summary>
public sealed record WebhookSaveResult(WebhookRegistration? Registration, string? Secret, bool Created, IReadOnlyDictionary<string, string[]>? Errors)
{
    public bool WasSuccessful => Errors is null;
}
