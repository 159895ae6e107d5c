namespace LowCodeTokens.Host.RateLimiting;

/// <summary>Per-key limits on page loads and action runs (<c>LowCodeTokens:RateLimits</c>); a key past its limit gets 429 with <c>Retry-After</c>.</summary>
/// <remarks>
/// Partitioned by the key a request was let in with (the admin key, or one app key: every viewer signed in with that key
/// shares its limit), so that one key's burst cannot use up another's. One host process counts its own requests only.
/// </remarks>
public sealed class RateLimitOptions
{
    /// <summary>Page loads (<c>POST …/pages/{page}/load</c>, API and viewer): 100 at once, then 10 a second per key.</summary>
    /// <remarks>Each load opens a session (Sessions:MaxPerApp); 10 a second is far more than people open pages with one key.</remarks>
    public KeyRateLimit Loads { get; set; } = new() { Burst = 100, PerSecond = 10 };

    /// <summary>Action runs (<c>POST …/sessions/{id}/run</c>, API and viewer): 500 at once, then 50 a second per key.</summary>
    public KeyRateLimit Runs { get; set; } = new() { Burst = 500, PerSecond = 50 };
}

/// <summary>A token bucket per key: <see cref="Burst"/> requests at once, refilled at <see cref="PerSecond"/>.</summary>
public sealed class KeyRateLimit
{
    /// <summary>Requests a key may make at once (the bucket's size); 0 turns the limit off.</summary>
    public int Burst { get; set; }

    /// <summary>Requests a second a key may sustain (the bucket is refilled by this many every second).</summary>
    public int PerSecond { get; set; }
}
