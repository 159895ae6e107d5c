using System.Collections.Concurrent;

namespace LowCodeTokens.Host.Definitions;

/// <summary>
/// Variables the host itself supplies to the definitions folder, next to configuration's (which win): the Development
/// demo puts its servers' loopback URLs here, as they are known only once the servers listen.
/// </summary>
public sealed class DefinitionVariables
{
    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);

    public void Set(string name, string value) => _values[name] = value;

    /// <summary>These values with <paramref name="configured"/> over them.</summary>
    public IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string> configured)
    {
        var merged = new Dictionary<string, string>(_values, StringComparer.Ordinal);
        foreach (var (name, value) in configured) merged[name] = value;
        return merged;
    }
}
