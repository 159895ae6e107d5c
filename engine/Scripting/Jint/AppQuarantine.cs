using System.Collections.Concurrent;
using System.Globalization;

namespace LowCodeTokens.Engine.Scripting.Jint;

/// <summary>
/// Per-app history of script incidents (a call that broke its time or memory limit). An app with <see cref="ScriptingOptions.QuarantineStrikes"/> incidents within
/// <see cref="ScriptingOptions.QuarantineWindow"/> is refused for <see cref="ScriptingOptions.QuarantineDuration"/>,
/// so that runaway code cannot keep burning the cores every app shares.
/// </summary>
internal sealed class AppQuarantine(ScriptingOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, History> _apps = new(StringComparer.Ordinal);

    private sealed class History
    {
        public readonly List<(DateTimeOffset At, string Incident, string Reason)> Strikes = [];
        public DateTimeOffset? Until;
    }

    /// <summary>The message to fail fast with when <paramref name="app"/> is quarantined now.</summary>
    public bool IsQuarantined(string app, out string message)
    {
        message = "";
        if (!_apps.TryGetValue(app, out var history)) return false;
        lock (history)
        {
            var now = time.GetUtcNow();
            if (history.Until is not { } until || now >= until) return false;
            var reasons = string.Join(", ", history.Strikes.Select(s => s.Reason));
            message = $"App '{app}' is quarantined until {until.ToString("u", CultureInfo.InvariantCulture)} " +
                      $"(in {Math.Ceiling((until - now).TotalSeconds):0} s): its scripts broke their limits {history.Strikes.Count} times " +
                      $"within {options.QuarantineWindow.TotalMinutes:0.#} minutes ({reasons}). Its calls fail fast until then.";
            return true;
        }
    }

    /// <summary>How many apps are quarantined now (a gauge of the engine's metrics).</summary>
    public int QuarantinedCount()
    {
        var now = time.GetUtcNow();
        var count = 0;
        foreach (var history in _apps.Values)
            lock (history)
                if (history.Until is { } until && now < until) count++;
        return count;
    }

    /// <summary>Records one incident; the same incident reported by several calls in flight counts once.</summary>
    public void Strike(string app, string incident, string reason)
    {
        var history = _apps.GetOrAdd(app, _ => new History());
        lock (history)
        {
            var now = time.GetUtcNow();
            if (history.Until is { } until && now >= until) { history.Until = null; history.Strikes.Clear(); }
            if (history.Strikes.Any(s => s.Incident == incident)) return;
            history.Strikes.RemoveAll(s => now - s.At > options.QuarantineWindow);
            history.Strikes.Add((now, incident, reason));
            if (history.Strikes.Count >= options.QuarantineStrikes)
                history.Until = now + options.QuarantineDuration;
        }
    }
}
