namespace LowCodeTokens.Engine.Tokens;

/// <summary>What the events of one credential have said so far (under the lock of its app's events).</summary>
internal sealed class CredentialState
{
    private bool _hasToken;
    private DateTimeOffset? _expiresAt, _refreshAt, _lastRefresh, _nextAttemptAt;
    private int _failures;
    private string? _lastError;
    private bool _needsReauthentication;

    public DateTimeOffset UpdatedAt { get; private set; }

    public void Apply(TokenEvent e)
    {
        UpdatedAt = e.At;
        switch (e.Type)
        {
            case TokenEventTypes.Issued:
            case TokenEventTypes.Refreshed:
                _hasToken = true;
                _expiresAt = e.ExpiresAt ?? _expiresAt;
                _refreshAt = e.RefreshAt ?? _refreshAt;
                _lastRefresh = e.At;
                _failures = 0;
                _nextAttemptAt = null;
                _lastError = null;
                _needsReauthentication = false;
                break;
            case TokenEventTypes.RefreshFailed:
                _failures = e.Failures ?? _failures + 1;
                _lastError = e.Error ?? _lastError;
                break;
            case TokenEventTypes.BackingOff:
                _nextAttemptAt = e.NextAttemptAt ?? _nextAttemptAt;
                if (e.Failures is { } failures) _failures = failures;
                break;
            case TokenEventTypes.ReauthenticationRequired:
                _needsReauthentication = true;
                _lastError = e.Error ?? _lastError;
                break;
        }
    }

    public CredentialHealth ToHealth(string module, string scope, DateTimeOffset now)
    {
        var valid = _hasToken && (_expiresAt is null || _expiresAt > now);
        var severity = _needsReauthentication ? 3 : _failures > 0 ? 2 : !valid ? 1 : 0;
        return new CredentialHealth(module, scope, valid, _expiresAt, _refreshAt, _lastRefresh, _failures, _nextAttemptAt, _lastError,
            _needsReauthentication, UpdatedAt, severity);
    }
}
