using System.Globalization;
using Jint;
using Jint.Constraints;
using Jint.Runtime.Descriptors;
using LowCodeTokens.Engine.Scripting.Globals;

namespace LowCodeTokens.Engine.Scripting.Jint;

using JsEngine = global::Jint.Engine;

/// <summary>
/// The sandbox and limits of every engine, in one place (ARCHITECTURE "Limits"; each setting was measured on Jint 4.18),
/// on one <see cref="Options"/> instance that every engine shares: constraints come from factories (one set per engine),
/// and the globals of the providers are made lazily per engine.
/// </summary>
internal sealed class ScriptLimits
{
    /// <summary>Arrays longer than this fail at once: <c>new Array(2**31-1).fill(0)</c> would otherwise allocate gigabytes in one call.</summary>
    /// <remarks>
    /// 4 M elements (32 MB of dense storage). Jint keeps an array dense only while its storage stays under 10,000,000 slots
    /// and grows it by doubling, so an array growing past 2^22 elements becomes a dictionary of ~110 bytes per element, built
    /// inside one native call: with 2^24 allowed, <c>new Array(1e7).fill(0)</c> allocated 1.06 GB and ran 4–5 s before the
    /// memory check saw it. At 2^22 the growth past it is refused before the conversion.
    /// </remarks>
    public const uint MaxArraySize = 1u << 22;

    /// <summary>Depth of JSON the engine parses for scripts (query responses, store values, module results).</summary>
    public const int MaxJsonDepth = 256;

    private readonly global::Jint.Options _shared;

    public ScriptLimits(ScriptingOptions options, TimeProvider time, IEnumerable<IScriptGlobalProvider> providers)
    {
        Options = options;
        MemoryLimitBytes = (long)options.MemoryLimitMb * 1024 * 1024;
        MaxStringLength = Math.Min(options.MaxValueBytes, MemoryLimitBytes / 4);
        var o = new global::Jint.Options
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
        // The step's time budget and the invocation's deadline token: armed at each drive step (BeginStep), however many
        // entries into the engine the step makes (the built-in TimeoutInterval restarts at every entry).
        o.Constraint(static () => new OperationDeadlineConstraint());
        // Counts what the thread allocates from each entry into the engine, not what stays reachable.
        o.LimitMemory(MemoryLimitBytes);
        o.LimitRecursion(options.MaxCallDepth);
        // Without it, JSON.stringify of a value nested 100,000 deep overflows the native stack and kills the process.
        o.Constraints.StackOverflowGuard = true;
        o.MaxArraySize(MaxArraySize);
        // A catastrophic regex ignores the statement checks; none may run longer than a step may.
        o.RegexTimeoutInterval(options.TimeLimit);
        foreach (var provider in providers)
            foreach (var global in provider.Shared)
            {
                var create = global.Create;
                o.AddLazyGlobal(global.Name, engine => create((ScriptEntity)engine.Advanced.HostDefined!), global.Flags);
            }
        _shared = o;
    }

    public ScriptingOptions Options { get; }
    public long MemoryLimitBytes { get; }

    /// <summary>The longest string a script may build in one call of <c>repeat</c>/<c>padStart</c>/<c>padEnd</c>, in characters.</summary>
    /// <remarks>Those calls allocate their whole result before any check runs ('x'.repeat(2**28) allocated 512 MB past every limit).</remarks>
    public long MaxStringLength { get; }

    public JsEngine CreateEngine() => new(_shared);

    /// <summary>Starts a drive step: a fresh time budget, the invocation's deadline token.</summary>
    public void BeginStep(OperationDeadlineConstraint deadline, CancellationToken token) => deadline.Begin(Options.TimeLimit, token);
}
