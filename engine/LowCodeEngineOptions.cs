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
}

public sealed class StoreOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";
    /// <summary>For SQLite, empty means <c>{DataDir}/lowcodetokens.db</c>.</summary>
    public string? ConnectionString { get; set; }
}

public sealed class ScriptingOptions
{
    /// <summary>The <c>node</c> executable.</summary>
    public string NodePath { get; set; } = "node";
    /// <summary>Longest a script may run without yielding (wall clock, code after <c>await</c> included).</summary>
    /// <remarks>5 s is generous for token logic and short enough that a runaway loop does not stall an app for long.</remarks>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Longest one invocation may take end to end, awaits on queries included.</summary>
    public TimeSpan InvocationDeadline { get; set; } = TimeSpan.FromSeconds(90);
    /// <summary>Heap limit of one app's script worker.</summary>
    /// <remarks>
    /// A session with the shipped Auth module costs about 0.3 MB of script heap, so 256 MB holds several hundred open
    /// sessions of one app; an app past it has its worker restarted (and is quarantined if it keeps doing so).
    /// </remarks>
    public int MemoryLimitMb { get; set; } = 256;
    /// <summary>Incidents (time limit, memory limit, crash) within <see cref="QuarantineWindow"/> that quarantine an app.</summary>
    /// <remarks>3 in 5 minutes: one runaway call is a bug worth a retry; three in a row is code that will keep restarting workers
    /// (or, for a fatal allocation, the Node process every app shares).</remarks>
    public int QuarantineStrikes { get; set; } = 3;
    public TimeSpan QuarantineWindow { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>How long a quarantined app's calls fail fast.</summary>
    public TimeSpan QuarantineDuration { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class SessionOptions
{
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>Open sessions kept per app; past it the least recently used idle one is closed.</summary>
    /// <remarks>
    /// Every page load opens a session (about 0.16 MB of script heap each, measured); without a cap a burst of loads
    /// keeps thousands alive for the idle timeout and the app's worker spends its time collecting garbage.
    /// </remarks>
    public int MaxPerApp { get; set; } = 500;
}

public sealed class QueryOptions
{
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>A query's own timeout is capped at this.</summary>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Largest response body a query reads; a larger one fails the query.</summary>
    /// <remarks>10 MB holds any token or API page a low-code app shows, and bounds what one query can make the server buffer.</remarks>
    public long MaxResponseBytes { get; set; } = 10 * 1024 * 1024;
}
