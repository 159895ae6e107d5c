namespace LowCodeTokens.Engine.Runtime;

/// <summary>
/// An app has <see cref="SessionOptions.MaxPerApp"/> sessions open and none of them may be closed for another (each is busy
/// or was used within <see cref="SessionOptions.EvictableAfter"/>). The load may be retried after <see cref="RetryAfter"/>.
/// </summary>
public sealed class TooManySessionsException(string app, int maxPerApp, TimeSpan retryAfter)
    : Exception($"App '{app}' has its {maxPerApp} sessions open, all in use recently; try again in {Math.Ceiling(retryAfter.TotalSeconds)} s.")
{
    /// <summary>When a session of the app may next be closed for a new one (at least one second).</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
