using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Engine.Scripting;

/// <summary>
/// A session's view of its (app, scope) store (SPEC §2): the latest persisted values, the session's non-persistent
/// values (which shadow persisted ones), and the persisted writes not yet handed to the runtime. Values are JSON text.
/// Every entity of the session reads and writes this one view, so a module's write is visible to the page at once.
/// </summary>
/// <remarks>Thread-safe: scripts write under the session's lock while the runtime refreshes it from the database.</remarks>
public sealed class SessionStore
{
    private readonly Lock _gate = new();
    private Dictionary<string, string> _persisted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _local = new(StringComparer.Ordinal);
    private List<StoreWrite> _journal = [];
    private long _snapshotVersion = -1;
    private long _version;
    // Token-like values this view has held, newest last: what it returns is masked with the tokens of before a refresh or
    // rotation too (a 401's error echoing the replaced token). Bounded: a long session that rotates often keeps the latest.
    private readonly List<string> _secretsSeen = [];
    private const int MaxSecretsSeen = 64;

    /// <summary>Changes with every write or refresh; scripts cache their copy of the values by it.</summary>
    public long Version
    {
        get { lock (_gate) return _version; }
    }

    /// <summary>
    /// Replaces the persisted values with <paramref name="snapshot"/> when it is another version than the last one applied,
    /// keeping the writes not yet drained on top (they are newer than any snapshot read before they were persisted).
    /// </summary>
    public void Refresh(StoreSnapshot snapshot)
    {
        lock (_gate)
        {
            if (snapshot.Version == _snapshotVersion) return;
            var values = new Dictionary<string, string>(snapshot.Values, StringComparer.Ordinal);
            foreach (var w in _journal) Apply(values, w);
            _persisted = values;
            foreach (var (key, json) in values) Remember(key, json);
            _snapshotVersion = snapshot.Version;
            _version++;
        }
    }

    /// <summary>Sets <paramref name="key"/> to JSON text, or removes it when <paramref name="json"/> is null (undefined).</summary>
    public void Set(string key, string? json, bool persist)
    {
        lock (_gate)
        {
            _local.Remove(key);
            if (json is not null) Remember(key, json);
            if (persist)
            {
                var write = json is null ? StoreWrite.Remove(key) : StoreWrite.Set(key, json);
                Apply(_persisted, write);
                _journal.Add(write);
            }
            else if (json is not null)
            {
                _local[key] = json;
            }
            _version++;
        }
    }

    public void Remove(string key)
    {
        lock (_gate)
        {
            _local.Remove(key);
            _persisted.Remove(key);
            _journal.Add(StoreWrite.Remove(key));
            _version++;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _local.Clear();
            _persisted.Clear();
            _journal.Add(StoreWrite.Clear);
            _version++;
        }
    }

    /// <summary>The current values (non-persistent ones shadowing persisted ones), with the version they belong to.</summary>
    public (long Version, KeyValuePair<string, string>[] Values) Read()
    {
        lock (_gate)
        {
            var merged = new Dictionary<string, string>(_persisted, StringComparer.Ordinal);
            foreach (var (k, v) in _local) merged[k] = v;
            return (_version, merged.ToArray());
        }
    }

    /// <summary>The persisted values as last refreshed plus this session's writes (no non-persistent values).</summary>
    public IReadOnlyDictionary<string, string> Persisted
    {
        get { lock (_gate) return new Dictionary<string, string>(_persisted, StringComparer.Ordinal); }
    }

    /// <summary>
    /// The string values of keys named like tokens or secrets (<see cref="Tokens.Redactor.IsSensitiveKey"/>) that this view
    /// has held — read from the store or written by scripts, persisted or not, including the ones replaced since.
    /// </summary>
    public IReadOnlyList<string> SecretsSeen
    {
        get { lock (_gate) return _secretsSeen.ToArray(); }
    }

    private void Remember(string key, string json)
    {
        if (json.Length < 10 || json[0] != '"' || !Tokens.Redactor.IsSensitiveKey(key)) return;
        if (System.Text.Json.JsonSerializer.Deserialize<string>(json) is not { Length: >= 8 } value || _secretsSeen.Contains(value)) return;
        if (_secretsSeen.Count == MaxSecretsSeen) _secretsSeen.RemoveAt(0);
        _secretsSeen.Add(value);
    }

    /// <summary>Takes the persisted writes made since the last drain, in order, for the runtime to make durable.</summary>
    public IReadOnlyList<StoreWrite> Drain()
    {
        lock (_gate)
        {
            if (_journal.Count == 0) return [];
            var writes = _journal;
            _journal = [];
            return writes;
        }
    }

    private static void Apply(Dictionary<string, string> values, StoreWrite write)
    {
        switch (write.Kind)
        {
            case StoreWriteKind.Set: values[write.Key!] = write.Json!; break;
            case StoreWriteKind.Remove: values.Remove(write.Key!); break;
            default: values.Clear(); break;
        }
    }
}
