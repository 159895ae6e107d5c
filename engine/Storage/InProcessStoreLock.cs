namespace LowCodeTokens.Engine.Storage;

/// <summary>
/// Keyed async lock for one process (enough for SQLite, whose file is never shared between hosts).
/// An entry lives only while someone holds or waits for its name, so arbitrary names do not leak.
/// </summary>
internal sealed class InProcessStoreLock : IStoreLock
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Names currently held or awaited (tests use it to prove entries are removed).</summary>
    internal int ActiveNames
    {
        get { lock (_entries) return _entries.Count; }
    }

    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(name, out entry!))
                _entries[name] = entry = new Entry();
            // Counted before waiting, so the entry cannot be removed under a waiter.
            entry.Users++;
        }

        try
        {
            await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            Leave(name, entry);
            throw;
        }

        return new Releaser(this, name, entry);
    }

    private void Leave(string name, Entry entry)
    {
        lock (_entries)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(name);
                entry.Gate.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public int Users;
    }

    private sealed class Releaser(InProcessStoreLock owner, string name, Entry entry) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            // A double dispose must not release someone else's hold.
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                entry.Gate.Release();
                owner.Leave(name, entry);
            }
            return ValueTask.CompletedTask;
        }
    }
}
