namespace LowCodeTokens.Engine.Tokens;

/// <summary>
/// One token lifecycle event of an (app, module instance, scope). Holds no token: <see cref="Error"/> is masked with the
/// session's known secrets and token patterns before it is recorded.
/// </summary>
/// <param name="Id">Increasing within the process; newer events have larger ids.</param>
public sealed record TokenEvent(
    long Id,
    DateTimeOffset At,
    string Type,
    string App,
    string Module,
    string Scope,
    string? Grant = null,
    DateTimeOffset? ExpiresAt = null,
    DateTimeOffset? RefreshAt = null,
    DateTimeOffset? NextAttemptAt = null,
    int? Failures = null,
    int? Status = null,
    string? Error = null);
