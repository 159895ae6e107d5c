using Jint;
using System.Diagnostics;
using Jint.Native;
using Jint.Runtime;

namespace LowCodeTokens.Engine.Scripting.Jint;

/// <summary>
/// A session's scripts in Jint, and the async driver that runs them without blocking a thread (ARCHITECTURE "Async
/// driver"): an invocation runs its code in a drive step under the session's lock; host work it starts (query runs,
/// module calls) and its timers complete outside the lock; each completion is settled on the engine in a later step,
/// followed by <c>ProcessTasks()</c>; the invocation reports once its promise has settled and no host work it started is
/// pending, so that fire-and-forget chains finish first. Each step is timed and allocation-counted afresh.
/// </summary>
internal sealed class JintScriptSession(JintScriptEngine owner, ScriptSessionSpec spec, SessionStore store, IScriptCalls calls) : IScriptSession
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, ScriptEntity> _entities = new(StringComparer.Ordinal);
    // Entities released while idle, by name, with the state to put back into their next engine.
    private readonly Dictionary<string, EntityState> _released = new(StringComparer.Ordinal);
    private ScriptError? _fault;
    private int _running; // invocations begun and not finished, under the lock

    public SessionStore Store { get; } = store;
    public IScriptCalls Calls { get; } = calls;
    public ScriptSessionSpec Spec { get; } = spec;
    public ScriptLimits Limits => owner.Limits;
    public PreparedCode Prepared => owner.Prepared;
    public TimeProvider Time => owner.Time;
    public string App => Spec.App;
    public bool IsFaulted => _fault is not null;

    /// <summary>Entities whose engine was released while idle (tests check that release happens, and only for stateless code).</summary>
    internal IReadOnlyCollection<string> ReleasedEntities => _released.Keys;

    /// <summary>The invocation whose code runs in the current drive step (set only under the lock).</summary>
    internal Invocation? Current { get; private set; }

    internal int NextTimerId;

    public Task<ScriptOutcome> CallAsync(string entity, IReadOnlyList<string> path, string argsJson, CancellationToken ct = default) =>
        RunAsync(entity, e => EntityCode.Call(e, path, argsJson), ct);

    public Task<ScriptOutcome> RunExpressionAsync(string entity, string expression, CancellationToken ct = default) =>
        RunAsync(entity, e => EntityCode.RunExpression(e, owner.Prepared.Expression(expression)), ct);

    public Task<ScriptOutcome> EvaluateWidgetsAsync(IReadOnlyList<ScriptWidgetBinding> bindings, CancellationToken ct = default) =>
        RunAsync(ScriptEntities.Page, e => EntityCode.EvaluateWidgets(e, bindings, owner.Prepared.Widgets(bindings)), ct);

    private async Task<ScriptOutcome> RunAsync(string entityName, Func<ScriptEntity, JsValue> start, CancellationToken ct)
    {
        if (owner.Quarantine.IsQuarantined(App, out var message))
            return ScriptOutcome.Failed(new ScriptError(ScriptErrorKind.Quarantined, "QuarantineError", message));

        var started = Stopwatch.GetTimestamp();
        var inv = new Invocation(entityName, ct);
        ScriptOutcome? outcome;
        Task wake = Task.CompletedTask;

        await _gate.WaitAsync(ct);
        try
        {
            if (_fault is not null) return ScriptOutcome.Failed(_fault);
            _running++;
            if (!TryGetEntity(inv)) return Finish(inv);
            Step(inv, () => Track(inv, start(inv.Entity)));
            outcome = Evaluate(inv, ref wake);
        }
        finally
        {
            _gate.Release();
        }
        if (outcome is not null) return outcome;

        // The invocation waits for host work or timers: from here the whole-invocation deadline applies.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var left = Limits.Options.InvocationDeadline - Stopwatch.GetElapsedTime(started);
        deadline.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        inv.Deadline = deadline.Token;
        while (outcome is null)
        {
            try
            {
                await wake.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
            }
            await _gate.WaitAsync(CancellationToken.None);
            try
            {
                if (deadline.IsCancellationRequested && !inv.Done)
                {
                    if (ct.IsCancellationRequested)
                    {
                        Abandon(inv);
                        ct.ThrowIfCancellationRequested();
                    }
                    inv.Failure = new ScriptError(ScriptErrorKind.Timeout, "TimeoutError",
                        $"The script did not finish within {Limits.Options.InvocationDeadline.TotalSeconds:0.#} s (the invocation deadline).");
                }
                else
                {
                    SettleReady(inv.Entity);
                }
                outcome = Evaluate(inv, ref wake);
            }
            finally
            {
                _gate.Release();
            }
        }
        return outcome;
    }

    private bool TryGetEntity(Invocation inv)
    {
        if (_entities.TryGetValue(inv.EntityName, out var existing))
        {
            inv.Entity = existing;
            return true;
        }
        var module = Spec.Modules.FirstOrDefault(m => m.Name == inv.EntityName);
        if (inv.EntityName != ScriptEntities.Page && module is null)
        {
            inv.Failure = new ScriptError(ScriptErrorKind.Script, "Error", $"'{inv.EntityName}' is not a script entity of this session.");
            return false;
        }
        var queries = module?.Queries ?? Spec.Page.Queries;
        inv.Entity = new ScriptEntity(this, inv.EntityName, queries);
        _released.Remove(inv.EntityName, out var released);
        // Building an entity runs its code's top level: under the same limits as any step.
        if (!Step(inv, () =>
            {
                EntityCode.Build(inv.Entity, owner.Providers, owner.Prepared, module);
                released?.Restore(inv.Entity);
            }) || inv.Settled)
        {
            if (inv.Failure is null && inv.Rejected)
                inv.Failure = EntityCode.ErrorFrom(inv.Entity, inv.Value) with { Message = $"Opening the scripts of '{inv.EntityName}' failed: {inv.Entity.MessageOf(inv.Value)}" };
            return false;
        }
        _entities[inv.EntityName] = inv.Entity;
        return true;
    }

    /// <summary>Runs script code for <paramref name="inv"/> under fresh limits, then the microtasks it queued.</summary>
    /// <returns>False when a limit or the engine ended the step (the invocation has its failure).</returns>
    private bool Step(Invocation inv, Action action)
    {
        var engine = inv.Entity.Engine;
        Current = inv;
        try
        {
            Limits.BeginStep(inv.Entity.Deadline, inv.Deadline);
            try
            {
                action();
            }
            catch (JavaScriptException e)
            {
                // Thrown synchronously by the code called: the invocation rejects with it.
                if (!inv.Settled) inv.Reject(e.Error);
                else inv.Log("error", $"Uncaught {inv.Entity.MessageOf(e.Error)}");
            }
            engine.Advanced.ProcessTasks();
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fail(inv, e);
            return false;
        }
        finally
        {
            inv.Entity.Deadline.End();
            Current = null;
        }
    }

    private void Fail(Invocation inv, Exception e)
    {
        var engine = inv.Entity.Engine;
        var (error, faults) = owner.Classify(e, inv.Deadline, Store.SecretsSeen);
        inv.Failure = error;
        try { engine.Advanced.ResetCallStack(); } catch (InvalidOperationException) { }
        if (!faults) return;
        // The engine stopped mid-statement: its objects may be half-updated. Nothing else runs in this session.
        _fault = new ScriptError(ScriptErrorKind.Crashed, "Error",
            $"The session's scripts were stopped because a call in it failed ({error.Message}); retry the call.");
        if (error.Kind is ScriptErrorKind.Timeout or ScriptErrorKind.Memory) owner.Strike(App, error);
        foreach (var entity in _entities.Values) Signal(entity);
        Signal(inv.Entity);
    }

    private static void Track(Invocation inv, JsValue result)
    {
        var entity = inv.Entity;
        if (!ScriptEntity.IsThenable(result))
        {
            inv.Resolve(result);
            return;
        }
        entity.WhenSettled(result,
            v => { inv.Resolve(v); return JsValue.Undefined; },
            r => { inv.Reject(r); return JsValue.Undefined; });
    }

    /// <summary>Settles the completed host operations and due timers of <paramref name="entity"/>, each in its own step.</summary>
    private void SettleReady(ScriptEntity entity)
    {
        var any = false;
        while (_fault is null)
        {
            var op = entity.Operations.Find(o => o.Work.IsCompleted);
            if (op is null) break;
            entity.Operations.Remove(op);
            op.Owner.PendingOperations--;
            if (op.Owner.Done) continue; // its invocation failed or gave up: the result is dropped, not settled
            Step(op.Owner, op.Settle);
            any = true;
        }
        var now = Stopwatch.GetTimestamp();
        while (_fault is null)
        {
            ScriptTimer? due = null;
            foreach (var t in entity.Timers)
                if (t.DueTimestamp <= now && (due is null || t.DueTimestamp < due.DueTimestamp)) due = t;
            if (due is null) break;
            entity.Timers.Remove(due);
            if (due.Owner.Done) continue;
            Step(due.Owner, () => EntityCode.Fire(entity, due));
            any = true;
        }
        if (any) Signal(entity);
    }

    private static void Signal(ScriptEntity entity)
    {
        var changed = entity.Changed;
        entity.Changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    /// <summary>The outcome once the invocation is over, else what to wait for before the next step.</summary>
    private ScriptOutcome? Evaluate(Invocation inv, ref Task wake)
    {
        var entity = inv.Entity;
        if (inv.Failure is null && _fault is not null) inv.Failure = _fault;
        if (inv.Failure is not null || (inv.Settled && inv.PendingOperations == 0)) return Finish(inv);
        if (!inv.Settled && entity.Operations.Count == 0 && entity.Timers.Count == 0)
        {
            // Entities are isolated: only this entity's host work or timers could ever settle it.
            inv.Failure = new ScriptError(ScriptErrorKind.Script, "Error",
                "The function's promise can never settle: nothing it waits for is pending (a promise that is never resolved?).");
            return Finish(inv);
        }
        wake = Wake(entity, inv);
        return null;
    }

    private static Task Wake(ScriptEntity entity, Invocation inv)
    {
        var waits = new List<Task>(entity.Operations.Count + 2) { entity.Changed.Task };
        foreach (var op in entity.Operations)
        {
            if (op.Work.IsCompleted) return Task.CompletedTask;
            waits.Add(op.Work);
        }
        if (entity.Timers.Count > 0)
        {
            var next = entity.Timers.Min(t => t.DueTimestamp);
            var delay = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (delay <= TimeSpan.Zero) return Task.CompletedTask;
            waits.Add(Task.Delay(delay, inv.Deadline));
        }
        return Task.WhenAny(waits);
    }

    private ScriptOutcome Finish(Invocation inv)
    {
        if (!inv.Done) _running--;
        inv.Done = true;
        var entity = inv.Entity;
        if (entity is not null)
        {
            // Timers it left behind never fire; host work it left (only after a failure) is dropped when it completes.
            entity.Timers.RemoveAll(t => t.Owner == inv);
        }
        if (inv.Failure is not null || entity is null) return ScriptOutcome.Failed(inv.Failure!, inv.Logs);
        if (inv.Rejected) return ScriptOutcome.Failed(EntityCode.ErrorFrom(entity, inv.Value), inv.Logs);
        if (inv.ResultJson is not null) return new ScriptOutcome { ValueJson = inv.ResultJson, Logs = inv.Logs };

        string? json = null;
        ScriptError? error = null;
        // toJSON is user code: serialize under the limits like any other step.
        Step(inv, () =>
        {
            try
            {
                json = JsonBridge.ToJson(entity.Engine, inv.Value, Limits.Options.MaxValueBytes);
            }
            catch (JavaScriptException e)
            {
                error = new ScriptError(ScriptErrorKind.Script, "TypeError", $"The result is not JSON-serializable: {entity.MessageOf(e.Error)}");
            }
            catch (ValueTooLargeException e)
            {
                error = new ScriptError(ScriptErrorKind.Script, "RangeError", $"The result is {e.Message}: return less data (Scripting:MaxValueBytes).");
            }
        });
        error ??= inv.Failure;
        return error is not null ? ScriptOutcome.Failed(error, inv.Logs) : new ScriptOutcome { ValueJson = json, Logs = inv.Logs };
    }

    private void Abandon(Invocation inv)
    {
        if (!inv.Done) _running--;
        inv.Done = true;
        inv.Entity?.Timers.RemoveAll(t => t.Owner == inv);
    }

    public void Idle()
    {
        // Never waits: a session in use is not idle.
        if (!_gate.Wait(0)) return;
        try
        {
            if (_running != 0 || _fault is not null) return;
            foreach (var (name, entity) in _entities.ToList())
            {
                // Pending work resumes in this engine; a timer belongs to a call that is still running.
                if (entity.Operations.Count != 0 || entity.Timers.Count != 0) continue;
                var holdsNoState = entity.IsPage ? Spec.Page.HoldsNoState : Spec.Modules.FirstOrDefault(m => m.Name == name)?.HoldsNoState == true;
                EntityState? state = null;
                // Capturing serializes values, which may run a script's toJSON: under the limits of a step like any script code.
                if (holdsNoState && !Step(new Invocation(name, CancellationToken.None) { Entity = entity }, () => state = EntityState.Capture(entity)))
                    return;
                if (state is not null)
                {
                    // Its code keeps nothing the state misses: the engine goes, and the next call builds one with this state.
                    _entities.Remove(name);
                    _released[name] = state;
                }
                else
                {
                    // Measured: a module engine after a page load retained 27 KB, 11 KB once its handler trees were dropped.
                    entity.Engine.Advanced.DiscardInterpreterCaches();
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _fault ??= new ScriptError(ScriptErrorKind.Crashed, "Error", "The session was closed; load the page again.");
    }
}
