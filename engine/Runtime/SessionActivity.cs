using System.Collections.Concurrent;
using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>
/// Per request on a session: the actions executed and the console output, and — during a page load — the
/// shared runs that make each action run at most once even when page-load code calls it too.
/// </summary>
internal sealed class SessionActivity(bool coalesce)
{
    private readonly Lock _gate = new();
    private readonly List<ActionReport> _reports = [];
    private readonly List<ScriptLog> _logs = [];
    private readonly ConcurrentDictionary<string, Lazy<Task>> _runs = new(StringComparer.Ordinal);

    public bool Coalesce { get; } = coalesce;

    public Task<T> RunOnce<T>(string key, Func<Task<T>> run) =>
        Coalesce ? (Task<T>)_runs.GetOrAdd(key, _ => new Lazy<Task>(() => run())).Value : run();

    public void Add(ActionReport report)
    {
        lock (_gate) _reports.Add(report);
    }

    public void AddLogs(IReadOnlyList<ScriptLog> logs)
    {
        if (logs.Count == 0) return;
        lock (_gate) _logs.AddRange(logs);
    }

    /// <summary>Marks an action the planner ran; true when code had already run (and reported) it.</summary>
    public bool TryAssignLayer(string name, int layer)
    {
        lock (_gate)
        {
            var existing = _reports.FirstOrDefault(r => r.Name == name);
            if (existing is null) return false;
            existing.Layer ??= layer;
            return true;
        }
    }

    public IReadOnlyList<ActionReport> Reports
    {
        get { lock (_gate) return _reports.ToList(); }
    }

    public IReadOnlyList<ScriptLog> Logs
    {
        get { lock (_gate) return _logs.ToList(); }
    }
}
