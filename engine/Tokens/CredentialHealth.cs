namespace LowCodeTokens.Engine.Tokens;

/// <summary>
/// The state of one credential (module instance and scope) as its lifecycle events describe it. <see cref="Severity"/>
/// orders the worst first: 3 needs re-authentication, 2 failing, 1 no valid token, 0 healthy.
/// </summary>
public sealed record CredentialHealth(
    string Module,
    string Scope,
    bool HasToken,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RefreshAt,
    DateTimeOffset? LastRefresh,
    int FailuresInARow,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    bool NeedsReauthentication,
    DateTimeOffset UpdatedAt,
    int Severity);
