using Jint;
using Jint.Native;

namespace LowCodeTokens.Engine.Scripting.Jint;

/// <summary>
/// One call into a session's scripts: its value once settled, the host work it started that has not come back yet,
/// its console output, and the failure that ended it early. Mutated only under the session's lock.
/// </summary>
internal sealed class Invocation(string entityName, CancellationToken deadline)
{
    private const int MaxLogEntries = 500;
    private const int MaxLogText = 4000;
    private readonly List<ScriptLog> _logs = [];

    public string EntityName { get; } = entityName;
    /// <summary>The entity the invocation runs in, once it exists (creating it runs its code's top level).</summary>
    public ScriptEntity Entity { get; set; } = null!;
    /// <summary>
    /// Cancelled at the invocation's deadline (or when the caller gives up). Until the invocation first waits for host work
    /// it is the caller's token: most calls finish in their first step, and a deadline timer for each was measurable.
    /// </summary>
    public CancellationToken Deadline { get; set; } = deadline;

    /// <summary>Host operations this invocation (or code its host operations resumed) started and that have not settled.</summary>
    public int PendingOperations;

    public bool Settled { get; private set; }
    public bool Rejected { get; private set; }
    public JsValue Value { get; private set; } = JsValue.Undefined;

    /// <summary>Set when a limit, the deadline or the engine ended the invocation before its value settled.</summary>
    public ScriptError? Failure { get; set; }
    public bool Done { get; set; }

    /// <summary>A value already serialized by the code that ran (widget evaluation builds its JSON itself).</summary>
    public string? ResultJson { get; set; }

    public IReadOnlyList<ScriptLog> Logs => _logs;

    public void Resolve(JsValue value)
    {
        if (Settled) return;
        Settled = true;
        Value = value;
    }

    public void Reject(JsValue reason)
    {
        if (Settled) return;
        Settled = true;
        Rejected = true;
        Value = reason;
    }

    public void Log(string level, string text)
    {
        if (_logs.Count >= MaxLogEntries)
        {
            if (_logs.Count == MaxLogEntries) _logs.Add(new ScriptLog("warn", "console output truncated", EntityName));
            return;
        }
        _logs.Add(new ScriptLog(level, text.Length > MaxLogText ? string.Concat(text.AsSpan(0, MaxLogText), "…") : text, EntityName));
    }
}
