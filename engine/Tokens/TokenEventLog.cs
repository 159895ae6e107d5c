using System.Collections.Concurrent;
using LowCodeTokens.Engine.Telemetry;
using LowCodeTokens.Engine.Webhooks;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Engine.Tokens;

/// <summary>
/// Records token lifecycle events: counts them in the metrics, keeps the latest per app in a ring, updates the health of
/// their credential, and hands them to the webhook queue. Everything in memory, in this process: recording never waits.
/// </summary>
internal sealed class TokenEventLog(EngineMetrics metrics, IWebhookQueue webhooks, TimeProvider time, IOptions<LowCodeEngineOptions> options)
    : ITokenEventLog
{
    private readonly ConcurrentDictionary<string, AppEvents> _apps = new(StringComparer.Ordinal);
    private readonly int _perApp = Math.Max(1, options.Value.Events.PerApp);
    private readonly int _credentialsPerApp = Math.Max(1, options.Value.Events.CredentialsPerApp);
    private long _lastId;

    /// <summary>Stamps <paramref name="draft"/> with an id and the time, and records it.</summary>
    public TokenEvent Record(TokenEvent draft)
    {
        var e = draft with { Id = Interlocked.Increment(ref _lastId), At = time.GetUtcNow() };
        metrics.TokenEvent(e.App, e.Module, e.Type, e.Grant);
        var app = _apps.GetOrAdd(e.App, _ => new AppEvents());
        lock (app)
        {
            if (app.Ring.Count == _perApp) app.Ring.Dequeue();
            app.Ring.Enqueue(e);
            var key = (e.Module, e.Scope);
            if (!app.Credentials.TryGetValue(key, out var state))
            {
                if (app.Credentials.Count >= _credentialsPerApp)
                    app.Credentials.Remove(app.Credentials.MinBy(c => c.Value.UpdatedAt).Key);
                app.Credentials[key] = state = new CredentialState();
            }
            state.Apply(e);
        }
        webhooks.Enqueue(e);
        return e;
    }

    public IReadOnlyList<TokenEvent> Query(string app, TokenEventQuery query)
    {
        if (!_apps.TryGetValue(app, out var events)) return [];
        TokenEvent[] all;
        lock (events) all = events.Ring.ToArray();
        var limit = Math.Clamp(query.Limit, 1, _perApp);
        return all.Reverse()
            .Where(e => (query.Type is null || e.Type == query.Type) && (query.Module is null || e.Module == query.Module)
                && (query.Scope is null || e.Scope == query.Scope) && (query.Since is null || e.At >= query.Since))
            .Take(limit)
            .ToList();
    }

    public IReadOnlyList<CredentialHealth> Credentials(string app)
    {
        if (!_apps.TryGetValue(app, out var events)) return [];
        var now = time.GetUtcNow();
        List<CredentialHealth> all;
        lock (events) all = events.Credentials.Select(c => c.Value.ToHealth(c.Key.Module, c.Key.Scope, now)).ToList();
        return all
            .OrderByDescending(c => c.Severity)
            .ThenByDescending(c => c.FailuresInARow)
            .ThenBy(c => c.ExpiresAt ?? DateTimeOffset.MinValue)
            .ThenBy(c => c.Module, StringComparer.Ordinal)
            .ThenBy(c => c.Scope, StringComparer.Ordinal)
            .ToList();
    }

    public void RemoveApp(string app) => _apps.TryRemove(app, out _);

    private sealed class AppEvents
    {
        public readonly Queue<TokenEvent> Ring = new();
        public readonly Dictionary<(string Module, string Scope), CredentialState> Credentials = [];
    }
}
