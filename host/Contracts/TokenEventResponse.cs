using LowCodeTokens.Engine.Tokens;

namespace LowCodeTokens.Host.Contracts;

/// <summary>One lifecycle event as the events route answers it (the same fields a webhook delivery carries).</summary>
public sealed record TokenEventResponse(
    long Id, DateTimeOffset At, string Type, string Module, string Scope, string? Grant, DateTimeOffset? ExpiresAt,
    DateTimeOffset? RefreshAt, DateTimeOffset? NextAttemptAt, int? Failures, int? Status, string? Error)
{
    public static TokenEventResponse From(TokenEvent e) =>
        new(e.Id, e.At, e.Type, e.Module, e.Scope, e.Grant, e.ExpiresAt, e.RefreshAt, e.NextAttemptAt, e.Failures, e.Status, e.Error);
}

/// <summary>The app's latest events, newest first (kept in memory per host process, the latest 1,000 per app by default).</summary>
public sealed record TokenEventsResponse(string App, IReadOnlyList<TokenEventResponse> Events);
