using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Engine.Scripting;

/// <summary>
/// A session's view of its (app, scope) store (SPEC §2): the latest persisted values, the session's non-persistent
/// values (which shadow persisted ones), and the persisted writes not yet handed to the runtime. Values are JSON text.
/// Every entity of the session reads and writes this one view, so a module's write is visible to the page at once.
/// </summary>
/// <remarks>
/// Thread-safe: scripts write under the session's lock while the runtime refreshes it from the database. Sizes are bounded by
/// <see cref="StoreOptions.MaxValueBytes"/> per value and <see cref="StoreOptions.MaxScopeBytes"/> for the scope (keys and
/// JSON values in UTF-8 bytes), checked here because every write of every entity passes through this view.
/// </remarks>
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
    private long _persistedBytes;
    private long _localBytes;
    private readonly long _maxScopeBytes;

    /// <summary>A view with the default size limits.</summary>
    public SessionStore() : this(new StoreOptions())
    {
    }

    public SessionStore(StoreOptions limits)
    {
        MaxValueBytes = limits.MaxValueBytes;
        _maxScopeBytes = limits.MaxScopeBytes;
    }

    /// <summary>Largest value, in bytes of JSON, that <see cref="TrySet"/> accepts.</summary>
    public int MaxValueBytes { get; }

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
            _persistedBytes = values.Sum(v => SizeOf(v.Key, v.Value));
            _snapshotVersion = snapshot.Version;
            _version++;
        }
    }

    /// <summary>
    /// Sets <paramref name="key"/> to JSON text, or removes it when <paramref name="json"/> is null (undefined); refused, with
    /// nothing changed, when the value or the scope would be larger than its limit.
    /// </summary>
    /// <param name="refusal">Why it was refused: the size and the limit (with its setting), for the script's error.</param>
    public bool TrySet(string key, string? json, bool persist, [NotNullWhen(false)] out string? refusal)
    {
        lock (_gate)
        {
            var valueBytes = json is null ? 0 : Encoding.UTF8.GetByteCount(json);
            var size = json is null ? 0 : Encoding.UTF8.GetByteCount(key) + valueBytes;
            if (valueBytes > MaxValueBytes)
            {
                refusal = $"the value is {Format(valueBytes)}, more than the {Format(MaxValueBytes)} a store value may hold (LowCodeTokens:Store:MaxValueBytes)";
                return false;
            }
            if (persist)
            {
                var after = _persistedBytes - SizeIn(_persisted, key) + size;
                // A scope already past a lowered limit may still shrink.
                if (after > _maxScopeBytes && after > _persistedBytes)
                {
                    refusal = $"the scope's store would hold {Format(after)}, more than its {Format(_maxScopeBytes)} limit (LowCodeTokens:Store:MaxScopeBytes); remove values it no longer needs";
                    return false;
                }
            }
            else
            {
                var after = _localBytes - SizeIn(_local, key) + size;
                if (after > _maxScopeBytes && after > _localBytes)
                {
                    refusal = $"the session's non-persistent values would hold {Format(after)}, more than their {Format(_maxScopeBytes)} limit (LowCodeTokens:Store:MaxScopeBytes)";
                    return false;
                }
            }

            _localBytes -= SizeIn(_local, key);
            _local.Remove(key);
            if (json is not null) Remember(key, json);
            if (persist)
            {
                var write = json is null ? StoreWrite.Remove(key) : StoreWrite.Set(key, json);
                _persistedBytes += size - SizeIn(_persisted, key);
                Apply(_persisted, write);
                _journal.Add(write);
            }
            else if (json is not null)
            {
                _local[key] = json;
                _localBytes += size;
            }
            _version++;
            refusal = null;
            return true;
        }
    }

    public void Remove(string key)
    {
        lock (_gate)
        {
            _localBytes -= SizeIn(_local, key);
            _persistedBytes -= SizeIn(_persisted, key);
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
            _localBytes = 0;
            _persistedBytes = 0;
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

    private static long SizeOf(string key, string json) => Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(json);

    private static long SizeIn(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var json) ? SizeOf(key, json) : 0;

    private static string Format(long bytes) => bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0
        ? $"{bytes / (1024 * 1024)} MB"
        : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

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
