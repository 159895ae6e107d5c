using System.Collections.Concurrent;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>Concurrent calls with the same key share one execution. Nothing is cached once it completes.</summary>
internal sealed class SingleFlight<TResult>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TResult>>> _inFlight = new(StringComparer.Ordinal);

    public async Task<TResult> RunAsync(string key, Func<Task<TResult>> work)
    {
        var mine = new Lazy<Task<TResult>>(work, LazyThreadSafetyMode.ExecutionAndPublication);
        var shared = _inFlight.GetOrAdd(key, mine);
        try
        {
            return await shared.Value;
        }
        finally
        {
            if (ReferenceEquals(shared, mine))
                _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<TResult>>>(key, mine));
        }
    }
}
