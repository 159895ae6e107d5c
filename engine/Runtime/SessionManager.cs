using System.Collections.Concurrent;
using LowCodeTokens.Engine.Scripting;
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
    private readonly TimeSpan _evictableAfter;
    private readonly StoreOptions _storeLimits;
    private readonly Lock _capGate = new();
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);
    private readonly ITimer _sweep;

    public SessionManager(TimeProvider time, IOptions<LowCodeEngineOptions> options)
    {
        _time = time;
        _idle = options.Value.Sessions.IdleTimeout;
        _maxPerApp = Math.Max(1, options.Value.Sessions.MaxPerApp);
        _maxQueriesPerPage = Math.Max(1, options.Value.Queries.MaxConcurrentPerPage);
        _evictableAfter = options.Value.Sessions.EvictableAfter;
        _storeLimits = options.Value.Store;
        var every = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, Math.Min(_idle.Ticks / 4, TimeSpan.FromMinutes(1).Ticks)));
        _sweep = time.CreateTimer(_ => Sweep(), null, every, every);
    }

    public int Count => _sessions.Count;

    /// <summary>A new session, busy with <paramref name="activity"/> from the start so that the cap never closes it mid-load.</summary>
    /// <param name="capped">False for a session that lives only for one call and is closed after it (a module call): it
    /// neither counts against <see cref="SessionOptions.MaxPerApp"/> nor closes page sessions to make room.</param>
    /// <exception cref="TooManySessionsException">The app is at its cap and no session of it may be closed for this one.</exception>
    public Session Create(string app, string scope, CompiledApp compiled, PagePlan plan, SessionActivity activity, bool capped = true)
    {
        // The count is reserved first, so that concurrent loads at the cap cannot all slip past it.
        if (capped && _perApp.AddOrUpdate(app, 1, (_, n) => n + 1) > _maxPerApp && !MakeRoom(app, out var retryAfter))
        {
            _perApp.AddOrUpdate(app, 0, (_, n) => n - 1);
            throw new TooManySessionsException(app, _maxPerApp, retryAfter);
        }
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
            Store = new SessionStore(_storeLimits),
            Capped = capped,
        };
        _sessions[session.Id] = session;
        return session;
    }

    // Called only past the cap, so a page load of an app below it does not scan every open session; it then closes down to
    // 90% of the cap at once, so that a steady stream of loads at the cap scans once per many loads rather than at each.
    // Only sessions idle for EvictableAfter are closed, least recently used first: a busy or recently used one is someone's
    // open page, and a burst of loads must not push it out (the burst is refused instead).
    private bool MakeRoom(string app, out TimeSpan retryAfter)
    {
        lock (_capGate)
        {
            retryAfter = TimeSpan.Zero;
            if (_perApp.GetValueOrDefault(app) <= _maxPerApp) return true; // another load made room meanwhile
            var ofApp = _sessions.Values.Where(s => s.App == app && s.Capped).ToList();
            var keep = _maxPerApp - _maxPerApp / 10;
            var evictable = ofApp.Where(IsEvictable).OrderBy(s => Interlocked.Read(ref s.LastUsed));
            foreach (var s in evictable.Take(Math.Max(0, _perApp.GetValueOrDefault(app) - keep)))
                Remove(s);
            if (_perApp.GetValueOrDefault(app) <= _maxPerApp) return true;

            // The least recently used session is the first that may be closed; a busy one counts as just used.
            var oldest = ofApp.Count == 0 ? _time.GetTimestamp() : ofApp.Min(s => Interlocked.Read(ref s.LastUsed));
            var wait = _evictableAfter - _time.GetElapsedTime(oldest);
            retryAfter = wait < OneSecond ? OneSecond : wait;
            return false;
        }
    }

    private bool IsEvictable(Session s) => s.Activity is null && _time.GetElapsedTime(Interlocked.Read(ref s.LastUsed)) >= _evictableAfter;

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

    /// <summary>Closes one session now (a call that needed a session only for itself).</summary>
    public void Close(Session session) => Remove(session);

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
            if (s.Capped) _perApp.AddOrUpdate(s.App, 0, (_, n) => n - 1);
            lock (s.ScriptsGate) s.Scripts?.Dispose();
        }
    }

    public ValueTask DisposeAsync() => _sweep.DisposeAsync();
}
