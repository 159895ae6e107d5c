using System.Collections.Concurrent;

namespace LowCodeTokens.Engine.Storage;

/// <summary>
/// Serves store reads from memory, decrypted once: a page load reads its store several times (each invocation starts
/// from the latest persisted store), and reading and decrypting every value each time dominated a page load once the
/// scripts ran in process.
/// </summary>
/// <remarks>
/// A snapshot is kept per (app, scope) and follows this process's own writes (a batch applied on top of the version it
/// followed). Whether it is still current is decided by <paramref name="versions"/>: PostgreSQL is shared by replicas, so
/// every read first asks the database for the version (one small query instead of the values); SQLite is used by one
/// host process per database file, whose writes all pass through here, so its snapshots need no check.
/// </remarks>
internal sealed class CachedAppStore(IAppStore inner, IStoreVersions? versions) : IAppStore
{
    /// <summary>Past this many cached (app, scope) snapshots the cache starts over, so that a scope per end user cannot grow it without bound.</summary>
    internal const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<(string App, string Scope), StoreSnapshot> _snapshots = new();

    /// <summary>The store behind the cache.</summary>
    internal IAppStore Inner => inner;

    /// <summary>Whether every read checks the version in the database (a store shared by replicas).</summary>
    internal bool ChecksVersions => versions is not null;
    // Bumped around an app's deletion, so that a read that started before it cannot put the deleted store back.
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);

    public async Task<StoreSnapshot> ReadAsync(string app, string scope, CancellationToken ct = default)
    {
        var key = (app, scope);
        if (_snapshots.TryGetValue(key, out var cached))
        {
            if (versions is null) return cached;
            if (await versions.ReadVersionAsync(app, scope, ct).ConfigureAwait(false) == cached.Version) return cached;
        }
        var generation = Generation(app);
        var snapshot = await inner.ReadAsync(app, scope, ct).ConfigureAwait(false);
        Remember(key, snapshot, generation);
        return snapshot;
    }

    public async Task<long> ApplyAsync(string app, string scope, IReadOnlyList<StoreWrite> writes, CancellationToken ct = default)
    {
        var key = (app, scope);
        var generation = Generation(app);
        var version = await inner.ApplyAsync(app, scope, writes, ct).ConfigureAwait(false);
        // Versions count batches: a cached snapshot of the version just before this one plus these writes is the new state.
        // Anything else (another replica wrote in between, or nothing was cached) is read again next time.
        if (_snapshots.TryGetValue(key, out var cached) && cached.Version == version - 1)
            Remember(key, new StoreSnapshot(version, Apply(cached.Values, writes)), generation);
        else
            _snapshots.TryRemove(key, out _);
        return version;
    }

    public Task<IReadOnlyList<string>> ListScopesAsync(string app, CancellationToken ct = default) => inner.ListScopesAsync(app, ct);

    public async Task DeleteAppAsync(string app, CancellationToken ct = default)
    {
        Forget(app);
        await inner.DeleteAppAsync(app, ct).ConfigureAwait(false);
        Forget(app);
    }

    /// <summary>Drops what is cached of <paramref name="app"/> (its definition was deleted through another path).</summary>
    public void Forget(string app)
    {
        _generations.AddOrUpdate(app, 1, (_, g) => g + 1);
        foreach (var key in _snapshots.Keys)
            if (key.App == app) _snapshots.TryRemove(key, out _);
    }

    private long Generation(string app) => _generations.GetValueOrDefault(app);

    private void Remember((string App, string Scope) key, StoreSnapshot snapshot, long generation)
    {
        if (Generation(key.App) != generation) return;
        if (_snapshots.Count >= MaxEntries) _snapshots.Clear();
        // Never replace a newer snapshot with an older one (a slow read finishing after a write).
        _snapshots.AddOrUpdate(key, snapshot, (_, existing) => existing.Version >= snapshot.Version ? existing : snapshot);
        if (Generation(key.App) != generation) _snapshots.TryRemove(key, out _);
    }

    private static Dictionary<string, string> Apply(IReadOnlyDictionary<string, string> values, IReadOnlyList<StoreWrite> writes)
    {
        var next = new Dictionary<string, string>(values, StringComparer.Ordinal);
        foreach (var write in writes)
        {
            switch (write.Kind)
            {
                case StoreWriteKind.Set: next[write.Key!] = write.Json!; break;
                case StoreWriteKind.Remove: next.Remove(write.Key!); break;
                default: next.Clear(); break;
            }
        }
        return next;
    }
}
