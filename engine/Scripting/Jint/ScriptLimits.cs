using System.Globalization;
using Jint;
using Jint.Constraints;

namespace LowCodeTokens.Engine.Scripting.Jint;

using JsEngine = global::Jint.Engine;

/// <summary>
/// The sandbox and limits of every engine, in one place (ARCHITECTURE "Limits"; each setting was measured on Jint 4.18).
/// </summary>
internal sealed class ScriptLimits(ScriptingOptions options, TimeProvider time)
{
    /// <summary>Arrays longer than this fail at once: <c>new Array(2**31-1).fill(0)</c> would otherwise allocate gigabytes in one call.</summary>
    /// <remarks>16 M elements still lets a script build a 10 M-element result, which the result cap then refuses clearly.</remarks>
    public const uint MaxArraySize = 1u << 24;

    /// <summary>Depth of JSON the engine parses for scripts (query responses, store values, module results).</summary>
    public const int MaxJsonDepth = 256;

    public ScriptingOptions Options { get; } = options;
    public long MemoryLimitBytes { get; } = (long)options.MemoryLimitMb * 1024 * 1024;

    /// <summary>The longest string a script may build in one call of <c>repeat</c>/<c>padStart</c>/<c>padEnd</c>, in characters.</summary>
    /// <remarks>Those calls allocate their whole result before any check runs ('x'.repeat(2**28) allocated 512 MB past every limit).</remarks>
    public long MaxStringLength { get; } = Math.Min(options.MaxValueBytes, (long)options.MemoryLimitMb * 1024 * 1024 / 4);

    public JsEngine CreateEngine()
    {
        var o = new Options
        {
            Strict = true,
            Culture = CultureInfo.InvariantCulture,
            TimeZone = TimeZoneInfo.Utc,
            TimeSystem = new TimeProviderTimeSystem(time),
            // Atomics.wait would block the thread (and the session) forever.
            AgentCanSuspend = false,
        };
        // eval, Function, AsyncFunction and GeneratorFunction constructors, through any constructor chain.
        o.DisableStringCompilation();
        // Timed from the last Reset(), which the session calls at every drive step: code after an await gets the full limit.
        o.TimeoutInterval(Options.TimeLimit);
        // Counts what the thread allocates since the last Reset() (per step), not what stays reachable.
        o.LimitMemory(MemoryLimitBytes);
        o.LimitRecursion(Options.MaxCallDepth);
        // Without it, JSON.stringify of a value nested 100,000 deep overflows the native stack and kills the process.
        o.Constraints.StackOverflowGuard = true;
        o.MaxArraySize(MaxArraySize);
        // A catastrophic regex ignores the statement timer; no step may run longer than the time limit through one.
        o.RegexTimeoutInterval(Options.TimeLimit);
        // The whole-invocation deadline: reset per step with the invocation's token.
        o.CancellationToken(CancellationToken.None);
        return new JsEngine(o);
    }

    /// <summary>Starts a drive step: the timer and the allocation counter start afresh; the deadline is the invocation's.</summary>
    public static void BeginStep(JsEngine engine, CancellationToken deadline)
    {
        engine.Constraints.Reset();
        engine.Constraints.Find<CancellationConstraint>()?.Reset(deadline);
    }
}
