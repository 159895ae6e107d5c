using System.Text.Json.Serialization;
using LowCodeTokens.Engine.Webhooks;

namespace LowCodeTokens.Host.Contracts;

/// <summary>
/// A webhook. <see cref="Secret"/> is present only in the answer that created it: keep it to verify the
/// <c>LowCodeTokens-Signature</c> header of deliveries (see the README); it is never shown again.
/// </summary>
public sealed record WebhookResponse(
    string Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null)
{
    public static WebhookResponse From(WebhookRegistration w, string? secret = null) => new(w.Id, w.Url, w.Events, w.CreatedAt, secret);
}

public sealed record WebhookListResponse(string App, IReadOnlyList<WebhookResponse> Webhooks);
