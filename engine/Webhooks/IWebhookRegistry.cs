namespace LowCodeTokens.Engine.Webhooks;

/// <summary>The webhooks of each app, kept in the app's store (encrypted at rest like every store value, shared by replicas).</summary>
public interface IWebhookRegistry
{
    /// <summary>
    /// Creates webhook <paramref name="id"/> with a new secret, or replaces its URL and event types keeping its secret.
    /// The URL must be absolute http(s) without credentials, and its host's addresses must pass the query address policy.
    /// </summary>
    Task<WebhookSaveResult> PutAsync(string app, string id, string url, IReadOnlyList<string> events, CancellationToken ct = default);

    Task<WebhookRegistration?> GetAsync(string app, string id, CancellationToken ct = default);

    Task<IReadOnlyList<WebhookRegistration>> ListAsync(string app, CancellationToken ct = default);

    /// <summary>False when there was no such webhook.</summary>
    Task<bool> DeleteAsync(string app, string id, CancellationToken ct = default);
}
