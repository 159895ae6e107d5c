namespace LowCodeTokens.Engine;

/// <summary>Configuration section <c>LowCodeTokens</c>.</summary>
public sealed class LowCodeEngineOptions
{
    public const string Section = "LowCodeTokens";

    /// <summary>Where SQLite files, Data Protection keys and the generated admin key live.</summary>
    public string DataDir { get; set; } = "./data";

    public StoreOptions Store { get; set; } = new();
    public ScriptingOptions Scripting { get; set; } = new();
    public SessionOptions Sessions { get; set; } = new();
    public QueryOptions Queries { get; set; } = new();
    public TokenEventOptions Events { get; set; } = new();
    public WebhookOptions Webhooks { get; set; } = new();
}

/// <summary>Token lifecycle events kept in memory, per app (this process only; see <c>ITokenEventLog</c>).</summary>
public sealed class TokenEventOptions
{
    /// <summary>Latest events kept per app for <c>GET /api/apps/{app}/events</c>; older ones are dropped.</summary>
    public int PerApp { get; set; } = 1000;
    /// <summary>Credentials (module instance × scope) tracked per app; past it the least recently updated is forgotten.</summary>
    public int CredentialsPerApp { get; set; } = 10_000;
}

/// <summary>Delivery of lifecycle events to webhooks: signed, retried with back-off, off the request path.</summary>
public sealed class WebhookOptions
{
    /// <summary>Attempts per delivery, the first included.</summary>
    public int MaxAttempts { get; set; } = 6;
    /// <summary>Wait before the first retry; doubles at each retry up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>How long one delivery attempt may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Events waiting for delivery; past it new ones are dropped (and logged) rather than slowing page loads.</summary>
    public int QueueCapacity { get; set; } = 10_000;
}

public sealed class StoreOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";
    /// <summary>For SQLite, empty means <c>{DataDir}/lowcodetokens.db</c>.</summary>
    public string? ConnectionString { get; set; }
    /// <summary>Largest value <c>storeValue</c> accepts, in bytes of its JSON (UTF-8).</summary>
    /// <remarks>1 MB: tokens and the state around them are kilobytes; a larger value is a bug or abuse, and each one is read and decrypted at every call of its scope.</remarks>
    public int MaxValueBytes { get; set; } = 1024 * 1024;
    /// <summary>Largest one (app, scope) store may grow, in bytes of its keys and JSON values (UTF-8); a write past it fails, nothing stored is lost.</summary>
    /// <remarks>
    /// 10 MB: three scopes of 30 MB grew the database to 165 MB and slowed every call of a scope to 1.8 s (each call reads its
    /// scope). Values a session keeps without persisting them count against a second allowance of the same size.
    /// </remarks>
    public long MaxScopeBytes { get; set; } = 10 * 1024 * 1024;
}

public sealed class ScriptingOptions
{
    /// <summary>Longest script code may run without yielding to an await (each drive step is timed afresh).</summary>
    /// <remarks>5 s is generous for token logic and short enough that a runaway loop does not hold a session for long.
    /// A catastrophic regular expression is bounded by the same limit.</remarks>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Longest one invocation may take end to end, awaits on queries included.</summary>
    public TimeSpan InvocationDeadline { get; set; } = TimeSpan.FromSeconds(90);
    /// <summary>Most memory script code may allocate in one step (between two awaits), in MB.</summary>
    /// <remarks>
    /// Jint counts what the executing thread allocates, not what stays reachable, so this bounds a memory bomb's burst
    /// rather than an app's heap; token logic allocates kilobytes per step. What it cannot bound is in docs/security.md.
    /// </remarks>
    public int MemoryLimitMb { get; set; } = 256;
    /// <summary>Largest JSON value that leaves a script: a result, a module call's arguments, a store value, a binding.</summary>
    /// <remarks>10 MB, as a query's largest response: anything larger is a bug, and the cap keeps one call from making the server buffer it.</remarks>
    public int MaxValueBytes { get; set; } = 10 * 1024 * 1024;
    /// <summary>Deepest call nesting in script code.</summary>
    /// <remarks>Token logic nests a few levels; 1,000 stops runaway recursion early, and the engine's stack guard catches deep native recursion (JSON of a deeply nested value).</remarks>
    public int MaxCallDepth { get; set; } = 1000;
    /// <summary>Incidents (time or memory limit) within <see cref="QuarantineWindow"/> that quarantine an app.</summary>
    /// <remarks>3 in 5 minutes: one runaway call is a bug worth a retry; three in a row is code that keeps burning the server's cores.</remarks>
    public int QuarantineStrikes { get; set; } = 3;
    public TimeSpan QuarantineWindow { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>How long a quarantined app's calls fail fast.</summary>
    public TimeSpan QuarantineDuration { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Run a page and a module through the engine once when the host starts, off the request path (<see cref="ScriptWarmUp"/>).</summary>
    public bool WarmUp { get; set; } = true;
}

public sealed class SessionOptions
{
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>Open sessions kept per app; past it a load closes the least recently used session idle for <see cref="EvictableAfter"/>, or is refused.</summary>
    /// <remarks>
    /// Every page load opens a session (its engines stay in memory until it idles out); without a cap a burst of loads
    /// keeps thousands alive for the idle timeout. A load that finds no such session to close is refused (HTTP 429 with
    /// <c>Retry-After</c>) rather than closing a session someone is using.
    /// </remarks>
    public int MaxPerApp { get; set; } = 500;
    /// <summary>How long a session must have been idle before a load beyond <see cref="MaxPerApp"/> may close it; a session in the middle of a request is never closed.</summary>
    /// <remarks>
    /// 5 minutes: a burst of loads (520 in half a second closed another user's open page) cannot push out a page someone
    /// is reading and about to click; a page left alone for 5 minutes may be reopened by its user if the app is that busy.
    /// </remarks>
    public TimeSpan EvictableAfter { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class QueryOptions
{
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>A query's own timeout is capped at this.</summary>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Largest response body a query reads; a larger one fails the query.</summary>
    /// <remarks>10 MB holds any token or API page a low-code app shows, and bounds what one query can make the server buffer.</remarks>
    public long MaxResponseBytes { get; set; } = 10 * 1024 * 1024;
    /// <summary>Whether queries may connect to loopback addresses (127.0.0.0/8, ::1): this host's own services and API.</summary>
    /// <remarks>Off by default: a URL an app's binding builds could otherwise reach what listens only on this machine.
    /// The demo and the tests, whose upstreams listen on 127.0.0.1, turn it on.</remarks>
    public bool AllowLoopback { get; set; }
    /// <summary>Whether queries may connect to private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7).</summary>
    /// <remarks>Off by default: the operator's internal network is not the apps' to reach unless the operator says so.
    /// Metadata, link-local, multicast and unspecified addresses stay refused whatever this says.</remarks>
    public bool AllowPrivateNetworks { get; set; }
    /// <summary>Most upstream requests one page (one session) has in flight at once; the others wait their turn, none is dropped.</summary>
    /// <remarks>
    /// Queries of one dependency layer start together: without a cap a page with 2,000 queries opened 2,000 connections to
    /// its upstream at once. 16 keeps a page with a few dozen queries fast while one page cannot flood an upstream.
    /// </remarks>
    public int MaxConcurrentPerPage { get; set; } = 16;
}
