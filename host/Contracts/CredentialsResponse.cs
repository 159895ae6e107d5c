using LowCodeTokens.Engine.Tokens;

namespace LowCodeTokens.Host.Contracts;

/// <summary>One credential (module instance and scope): what its lifecycle events say about it.</summary>
public sealed record CredentialResponse(
    string Module, string Scope, bool HasToken, DateTimeOffset? ExpiresAt, DateTimeOffset? RefreshAt, DateTimeOffset? LastRefresh,
    int FailuresInARow, DateTimeOffset? NextAttemptAt, string? LastError, bool NeedsReauthentication, DateTimeOffset UpdatedAt, string Health)
{
    public static CredentialResponse From(CredentialHealth c) =>
        new(c.Module, c.Scope, c.HasToken, c.ExpiresAt, c.RefreshAt, c.LastRefresh, c.FailuresInARow, c.NextAttemptAt, c.LastError,
            c.NeedsReauthentication, c.UpdatedAt, c.Severity switch { 3 => "reauthenticate", 2 => "failing", 1 => "no-token", _ => "ok" });
}

/// <summary>The app's credentials, worst first.</summary>
public sealed record CredentialsResponse(string App, IReadOnlyList<CredentialResponse> Credentials);
