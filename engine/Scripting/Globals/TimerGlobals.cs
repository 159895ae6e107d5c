using Jint;
using System.Diagnostics;
using Jint.Native;
using Jint.Runtime;
using LowCodeTokens.Engine.Scripting.Jint;

namespace LowCodeTokens.Engine.Scripting.Globals;

/// <summary>
/// <c>setTimeout</c>/<c>clearTimeout</c> in real time. A timer belongs to the invocation that set it: it fires while that
/// invocation is still running (its promise unsettled, or host work it started pending) and is dropped when it ends, so a
/// timer chain that re-arms itself cannot outlive its call.
/// </summary>
internal sealed class TimerGlobals : IScriptGlobalProvider
{
    private const int MaxTimers = 1000;

    public IEnumerable<ScriptGlobal> Shared =>
    [
        new("setTimeout", entity => entity.Function("setTimeout", (_, args) =>
        {
            if (args.Length == 0 || !args[0].IsCallable()) throw entity.TypeError("setTimeout: the callback must be a function");
            if (entity.Timers.Count >= MaxTimers) throw entity.Error($"setTimeout: more than {MaxTimers} pending timers");
            var ms = args.Length > 1 ? TypeConverter.ToNumber(args[1]) : 0;
            ms = double.IsNaN(ms) ? 0 : Math.Clamp(ms, 0, int.MaxValue);
            var id = ++entity.Session.NextTimerId;
            var due = Stopwatch.GetTimestamp() + (long)(ms * Stopwatch.Frequency / 1000);
            entity.Timers.Add(new ScriptTimer(id, due, args[0], args.Length > 2 ? args[2..] : [], entity.Current));
            return id;
        }, 2)),
        new("clearTimeout", entity => entity.Function("clearTimeout", (_, args) =>
        {
            if (args.Length > 0 && args[0] is JsNumber n) entity.Timers.RemoveAll(t => t.Id == (int)TypeConverter.ToNumber(n));
            return JsValue.Undefined;
        }, 1)),
    ];
}
