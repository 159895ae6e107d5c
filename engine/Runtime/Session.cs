using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>The state of one open page: its scripts (engines per entity), its view of the store, and its persist queue.</summary>
internal sealed class Session
{
    private readonly Lock _persistGate = new();
    private Task _persistTail = Task.CompletedTask;

    public required string Id { get; init; }
    public required string App { get; init; }
    public required string Scope { get; init; }
    public required CompiledApp Compiled { get; init; }
    public required PagePlan Plan { get; init; }
    /// <summary>Whether the session counts against <see cref="SessionOptions.MaxPerApp"/> (a page's does; a module call's does not).</summary>
    public bool Capped { get; init; } = true;

    public long LastUsed;
    /// <summary>Admits the session's upstream requests up to <see cref="QueryOptions.MaxConcurrentPerPage"/> at a time.</summary>
    public required SemaphoreSlim QueryGate { get; init; }
    public required SessionStore Store { get; init; }

    /// <summary>The session's scripts; replaced when a call broke a limit and faulted them.</summary>
    public IScriptSession? Scripts;
    public readonly Lock ScriptsGate = new();

    /// <summary>What the current request records (actions, logs) and, during a page load, coalesces.</summary>
    public volatile SessionActivity? Activity;

    /// <summary>Queues work that must run after every earlier persist of this session (writes stay in order).</summary>
    public Task ChainPersist(Func<Task> next)
    {
        lock (_persistGate)
        {
            var previous = _persistTail;
            _persistTail = RunAfter(previous, next);
            return _persistTail;
        }
    }

    public Task PersistTail
    {
        get { lock (_persistGate) return _persistTail; }
    }

    private static async Task RunAfter(Task previous, Func<Task> next)
    {
        // An earlier failure was reported to the request that made it; later writes still go through.
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await next();
    }
}
