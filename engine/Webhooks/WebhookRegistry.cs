using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using LowCodeTokens.Engine.Queries;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Engine.Tokens;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Engine.Webhooks;

/// <summary>
/// Webhooks live in the app's store under a scope no caller can name (scope names may not hold control characters), one
/// value per webhook with its secret: encrypted at rest, shared by replicas, deleted with the app.
/// </summary>
internal sealed class WebhookRegistry(IAppStore store, IHostAddressResolver resolver, IOptions<LowCodeEngineOptions> options, TimeProvider time)
    : IWebhookRegistry
{
    internal const string Scope = "\u0001webhooks";
    private const int MaxUrlLength = 2000;

    public async Task<WebhookSaveResult> PutAsync(string app, string id, string url, IReadOnlyList<string> events, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (await UrlProblemAsync(url, ct) is { } urlProblem) errors["url"] = [urlProblem];
        var unknown = events.Where(e => !TokenEventTypes.IsKnown(e)).ToList();
        if (events.Count == 0) errors["events"] = [$"List at least one event type: {string.Join(", ", TokenEventTypes.All)}."];
        else if (unknown.Count > 0) errors["events"] = [$"Unknown event type(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}; use {string.Join(", ", TokenEventTypes.All)}."];
        if (errors.Count > 0) return new WebhookSaveResult(null, null, false, errors);

        var existing = await ReadAsync(app, id, ct);
        var stored = new StoredWebhook
        {
            Url = url,
            Events = events.Distinct(StringComparer.Ordinal).ToList(),
            Secret = existing?.Secret ?? "whsec_" + Base64Url(RandomNumberGenerator.GetBytes(32)),
            CreatedAt = existing?.CreatedAt ?? time.GetUtcNow(),
        };
        await store.ApplyAsync(app, Scope, [StoreWrite.Set(id, JsonSerializer.Serialize(stored, Json))], ct);
        return new WebhookSaveResult(stored.ToRegistration(id), existing is null ? stored.Secret : null, existing is null, null);
    }

    public async Task<WebhookRegistration?> GetAsync(string app, string id, CancellationToken ct = default) =>
        (await ReadAsync(app, id, ct))?.ToRegistration(id);

    public async Task<IReadOnlyList<WebhookRegistration>> ListAsync(string app, CancellationToken ct = default) =>
        (await ReadAllAsync(app, ct)).Select(w => w.Stored.ToRegistration(w.Id)).ToList();

    public async Task<bool> DeleteAsync(string app, string id, CancellationToken ct = default)
    {
        if (await ReadAsync(app, id, ct) is null) return false;
        await store.ApplyAsync(app, Scope, [StoreWrite.Remove(id)], ct);
        return true;
    }

    /// <summary>The app's webhooks with their secrets, for delivery.</summary>
    internal async Task<IReadOnlyList<(string Id, StoredWebhook Stored)>> ReadAllAsync(string app, CancellationToken ct)
    {
        var snapshot = await store.ReadAsync(app, Scope, ct);
        return snapshot.Values.OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => (v.Key, JsonSerializer.Deserialize<StoredWebhook>(v.Value, Json)!))
            .ToList();
    }

    private async Task<StoredWebhook?> ReadAsync(string app, string id, CancellationToken ct) =>
        (await store.ReadAsync(app, Scope, ct)).Values.TryGetValue(id, out var json) ? JsonSerializer.Deserialize<StoredWebhook>(json, Json) : null;

    private async Task<string?> UrlProblemAsync(string url, CancellationToken ct)
    {
        if (url.Length > MaxUrlLength) return $"The URL is longer than {MaxUrlLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return "Must be an absolute http or https URL.";
        if (uri.UserInfo.Length > 0) return "Must not carry credentials (user:password@); deliveries are signed instead.";
        if (uri.Fragment.Length > 0) return "Must not have a fragment (#...).";
        System.Net.IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(uri.IdnHost, ct);
        }
        catch (SocketException e)
        {
            return $"The host '{uri.Host}' does not resolve ({e.SocketErrorCode}).";
        }
        if (addresses.Length == 0) return $"The host '{uri.Host}' does not resolve.";
        // Judged again at each delivery's connect (the address actually connected to): this only answers early.
        foreach (var address in addresses)
            if (QueryAddressPolicy.RefusalReason(address, options.Value.Queries) is { } reason)
                return $"The host '{uri.Host}' resolves to {reason}, which queries and webhooks may not reach.";
        return null;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    internal sealed class StoredWebhook
    {
        public string Url { get; set; } = "";
        public List<string> Events { get; set; } = [];
        public string Secret { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }

        public WebhookRegistration ToRegistration(string id) => new(id, Url, Events, CreatedAt);
    }
}
