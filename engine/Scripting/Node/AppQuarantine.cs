using System.Collections.Concurrent;
using System.Globalization;

namespace LowCodeTokens.Engine.Scripting.Node;

/// <summary>
/// Per-app history of script-host incidents (time limit, memory limit, worker crash, the whole Node process lost
/// while the app had a call in flight). An app with <see cref="ScriptingOptions.QuarantineStrikes"/> incidents within
/// <see cref="ScriptingOptions.QuarantineWindow"/> is refused for <see cref="ScriptingOptions.QuarantineDuration"/>,
/// so that it cannot keep restarting workers (or the process every app shares).
/// </summary>
/// <remarks>
/// Lives in .NET rather than in host.js because it must outlive the Node process: a single allocation larger than
/// the worker's limit can abort the whole process (measured on Node 20), and host.js state dies with it.
/// </remarks>
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
                      $"(in {Math.Ceiling((until - now).TotalSeconds):0} s): its scripts brought down the script host {history.Strikes.Count} times " +
                      $"within {options.QuarantineWindow.TotalMinutes:0.#} minutes ({reasons}). Its calls fail fast until then.";
            return true;
        }
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
