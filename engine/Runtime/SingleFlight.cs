using System.Collections.Concurrent;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>Concurrent calls with the same key share one execution. Nothing is cached once it completes.</summary>
internal sealed class SingleFlight<TResult>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TResult>>> _inFlight = new(StringComparer.Ordinal);

    /// <param name="joined">Called when this caller joins an execution already in flight instead of starting one.</param>
    public async Task<TResult> RunAsync(string key, Func<Task<TResult>> work, Action? joined = null)
    {
        var mine = new Lazy<Task<TResult>>(work, LazyThreadSafetyMode.ExecutionAndPublication);
        var shared = _inFlight.GetOrAdd(key, mine);
        if (!ReferenceEquals(shared, mine)) joined?.Invoke();
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
