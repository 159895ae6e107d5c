using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Tests.Storage;

/// <summary>The read cache in front of the store: reads from memory, follows its own writes, never serves a stale version.</summary>
public sealed class CachedAppStoreTests
{
    [Fact]
    public async Task ReadAsync_Twice_ReadsTheDatabaseOnce()
    {
        var inner = new CountingStore();
        var store = new CachedAppStore(inner, null);
        await inner.ApplyAsync("a", "s", [StoreWrite.Set("k", "1")]);

        var first = await store.ReadAsync("a", "s");
        var second = await store.ReadAsync("a", "s");

        Assert.Same(first, second);
        Assert.Equal(1, inner.Reads);
    }

    [Fact]
    public async Task ApplyAsync_OnTopOfTheCachedVersion_IsServedWithoutReadingAgain()
    {
        var inner = new CountingStore();
        var store = new CachedAppStore(inner, null);
        await store.ApplyAsync("a", "s", [StoreWrite.Set("k", "1"), StoreWrite.Set("gone", "2")]);
        await store.ReadAsync("a", "s");

        await store.ApplyAsync("a", "s", [StoreWrite.Set("k", "3"), StoreWrite.Remove("gone"), StoreWrite.Set("new", "\"x\"")]);
        var read = await store.ReadAsync("a", "s");

        Assert.Equal(1, inner.Reads);
        Assert.Equal(2, read.Version);
        Assert.Equal(new Dictionary<string, string> { ["k"] = "3", ["new"] = "\"x\"" }, read.Values);
        Assert.Equal(read.Values, (await inner.ReadAsync("a", "s")).Values);
    }

    [Fact]
    public async Task ReadAsync_AfterAnotherReplicaWrote_ReadsTheNewVersion()
    {
        var shared = new CountingStore();
        var replicaA = new CachedAppStore(shared, shared);
        var replicaB = new CachedAppStore(shared, shared);
        await replicaA.ApplyAsync("a", "s", [StoreWrite.Set("k", "1")]);
        Assert.Equal("1", (await replicaA.ReadAsync("a", "s")).Values["k"]);

        await replicaB.ApplyAsync("a", "s", [StoreWrite.Set("k", "2")]);

        Assert.Equal("2", (await replicaA.ReadAsync("a", "s")).Values["k"]);
    }

    [Fact]
    public async Task ApplyAsync_WhenAnotherReplicaWroteInBetween_DropsTheSnapshotInsteadOfGuessing()
    {
        var shared = new CountingStore();
        var replicaA = new CachedAppStore(shared, shared);
        await replicaA.ApplyAsync("a", "s", [StoreWrite.Set("k", "1")]);
        await replicaA.ReadAsync("a", "s");
        await shared.ApplyAsync("a", "s", [StoreWrite.Set("other", "1")]); // version 2, behind the cache's back

        await replicaA.ApplyAsync("a", "s", [StoreWrite.Set("k", "3")]); // version 3
        var read = await replicaA.ReadAsync("a", "s");

        Assert.Equal(3, read.Version);
        Assert.Equal("1", read.Values["other"]);
    }

    [Fact]
    public async Task DeleteAppAsync_DropsItsCachedStores()
    {
        var inner = new CountingStore();
        var store = new CachedAppStore(inner, null);
        await store.ApplyAsync("a", "s", [StoreWrite.Set("k", "1")]);
        await store.ReadAsync("a", "s");

        await store.DeleteAppAsync("a");

        Assert.Empty((await store.ReadAsync("a", "s")).Values);
    }

    /// <summary>An in-memory store that counts value reads; versions count batches, as the real stores do.</summary>
    private sealed class CountingStore : IAppStore, IStoreVersions
    {
        private readonly Dictionary<(string, string), StoreSnapshot> _data = new();
        public int Reads;

        public Task<StoreSnapshot> ReadAsync(string app, string scope, CancellationToken ct = default)
        {
            Interlocked.Increment(ref Reads);
            lock (_data) return Task.FromResult(_data.GetValueOrDefault((app, scope)) ?? StoreSnapshot.Empty);
        }

        public Task<long> ReadVersionAsync(string app, string scope, CancellationToken ct = default)
        {
            lock (_data) return Task.FromResult(_data.GetValueOrDefault((app, scope))?.Version ?? 0);
        }

        public Task<long> ApplyAsync(string app, string scope, IReadOnlyList<StoreWrite> writes, CancellationToken ct = default)
        {
            lock (_data)
            {
                var current = _data.GetValueOrDefault((app, scope)) ?? StoreSnapshot.Empty;
                var values = new Dictionary<string, string>(current.Values);
                foreach (var w in writes)
                {
                    if (w.Kind == StoreWriteKind.Set) values[w.Key!] = w.Json!;
                    else if (w.Kind == StoreWriteKind.Remove) values.Remove(w.Key!);
                    else values.Clear();
                }
                _data[(app, scope)] = new StoreSnapshot(current.Version + 1, values);
                return Task.FromResult(current.Version + 1);
            }
        }

        public Task<IReadOnlyList<string>> ListScopesAsync(string app, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<string>>([]);

        public Task DeleteAppAsync(string app, CancellationToken ct = default)
        {
            lock (_data) foreach (var key in _data.Keys.Where(k => k.Item1 == app).ToList()) _data.Remove(key);
            return Task.CompletedTask;
        }
    }
}
