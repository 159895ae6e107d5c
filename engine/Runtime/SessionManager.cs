using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>Creates sessions, finds them again, and expires them when idle (their scripts are released).</summary>
internal sealed class SessionManager : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _perApp = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _idle;
    private readonly int _maxPerApp;
    private readonly int _maxQueriesPerPage;
    private readonly ITimer _sweep;

    public SessionManager(TimeProvider time, IOptions<LowCodeEngineOptions> options)
    {
        _time = time;
        _idle = options.Value.Sessions.IdleTimeout;
        _maxPerApp = Math.Max(1, options.Value.Sessions.MaxPerApp);
        _maxQueriesPerPage = Math.Max(1, options.Value.Queries.MaxConcurrentPerPage);
        var every = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, Math.Min(_idle.Ticks / 4, TimeSpan.FromMinutes(1).Ticks)));
        _sweep = time.CreateTimer(_ => Sweep(), null, every, every);
    }

    public int Count => _sessions.Count;

    /// <summary>A new session, busy with <paramref name="activity"/> from the start so that the cap never closes it mid-load.</summary>
    public Session Create(string app, string scope, CompiledApp compiled, PagePlan plan, SessionActivity activity)
    {
        var session = new Session
        {
            Id = SessionIds.Next(),
            App = app,
            Scope = scope,
            Compiled = compiled,
            Plan = plan,
            LastUsed = _time.GetTimestamp(),
            Activity = activity,
            QueryGate = new SemaphoreSlim(_maxQueriesPerPage),
        };
        _sessions[session.Id] = session;
        if (_perApp.AddOrUpdate(app, 1, (_, n) => n + 1) > _maxPerApp) EvictBeyondCap(app);
        return session;
    }

    // Called only past the cap, so a page load of an app below it does not scan every open session; it then closes down to
    // 90% of the cap at once, so that a steady stream of loads at the cap scans once per many loads rather than at each.
    private void EvictBeyondCap(string app)
    {
        var ofApp = _sessions.Values.Where(s => s.App == app).ToList();
        if (ofApp.Count <= _maxPerApp) return;
        var keep = _maxPerApp - _maxPerApp / 10;
        // Least recently used first; a session in the middle of a request is never closed under it.
        foreach (var s in ofApp.Where(s => s.Activity is null).OrderBy(s => Interlocked.Read(ref s.LastUsed)).Take(ofApp.Count - keep))
            Remove(s);
    }

    /// <summary>Finds a live session and marks it used; an expired one is removed.</summary>
    public Session? Find(string id)
    {
        if (!_sessions.TryGetValue(id, out var session)) return null;
        if (IsExpired(session))
        {
            Remove(session);
            return null;
        }
        Interlocked.Exchange(ref session.LastUsed, _time.GetTimestamp());
        return session;
    }

    /// <summary>A session's script calls count as use, so that a long page load cannot expire under itself.</summary>
    public void Touch(Session session) => Interlocked.Exchange(ref session.LastUsed, _time.GetTimestamp());

    /// <summary>Drops every session of an app (its definition changed or it was removed).</summary>
    public void RemoveApp(string app)
    {
        foreach (var s in _sessions.Values)
            if (s.App == app) Remove(s);
    }

    private bool IsExpired(Session s) => _time.GetElapsedTime(Interlocked.Read(ref s.LastUsed)) > _idle;

    private void Sweep()
    {
        foreach (var s in _sessions.Values)
            if (IsExpired(s)) Remove(s);
    }

    private void Remove(Session s)
    {
        if (_sessions.TryRemove(new KeyValuePair<string, Session>(s.Id, s)))
        {
            _perApp.AddOrUpdate(s.App, 0, (_, n) => n - 1);
            lock (s.ScriptsGate) s.Scripts?.Dispose();
        }
    }

    public ValueTask DisposeAsync() => _sweep.DisposeAsync();
}
