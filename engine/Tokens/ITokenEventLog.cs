namespace LowCodeTokens.Engine.Tokens;

/// <summary>Filters of <see cref="ITokenEventLog.Query"/>; null means any. <see cref="Limit"/> is capped by the log's size.</summary>
public sealed record TokenEventQuery(string? Type = null, string? Module = null, string? Scope = null, DateTimeOffset? Since = null, int Limit = 100);

/// <summary>
/// What the runtime has recorded of token lifecycle events: the latest events of each app (a bounded ring in memory, of this
/// process only) and the health of each credential derived from them.
/// </summary>
public interface ITokenEventLog
{
    /// <summary>Events of <paramref name="app"/> matching <paramref name="query"/>, newest first.</summary>
    IReadOnlyList<TokenEvent> Query(string app, TokenEventQuery query);

    /// <summary>Every credential of <paramref name="app"/> an event was reported for, worst first.</summary>
    IReadOnlyList<CredentialHealth> Credentials(string app);

    /// <summary>Forgets an app's events and credentials (the app was removed).</summary>
    void RemoveApp(string app);
}
