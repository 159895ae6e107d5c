using System.Text.RegularExpressions;
using Jint.Runtime;
using LowCodeTokens.Engine.Scripting.Globals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Engine.Scripting.Jint;

/// <summary>
/// <see cref="IScriptEngine"/> on Jint 4, in process: one engine per entity of a session, created from code prepared
/// once, with the limits of <see cref="ScriptLimits"/>; apps that keep breaking their limits are quarantined.
/// </summary>
internal sealed partial class JintScriptEngine : IScriptEngine
{
    private readonly ILogger<JintScriptEngine> _logger;
    private long _incidents;

    public JintScriptEngine(IOptions<LowCodeEngineOptions> options, TimeProvider time, IEnumerable<IScriptGlobalProvider> providers, ILogger<JintScriptEngine> logger)
    {
        var scripting = options.Value.Scripting;
        Time = time;
        Providers = providers.ToList();
        Limits = new ScriptLimits(scripting, time, Providers);
        Quarantine = new AppQuarantine(scripting, time);
        _logger = logger;
    }

    public TimeProvider Time { get; }
    public ScriptLimits Limits { get; }
    public AppQuarantine Quarantine { get; }
    public PreparedCode Prepared { get; } = new();
    public IReadOnlyList<IScriptGlobalProvider> Providers { get; }

    public IScriptSession OpenSession(ScriptSessionSpec spec, SessionStore store, IScriptCalls calls) => new JintScriptSession(this, spec, store, calls);

    /// <summary>
    /// The error a drive step ended with, and whether it leaves the engine unusable (it stopped mid-statement: a limit, or a
    /// failure of the engine itself) so that the session must be discarded.
    /// </summary>
    /// <param name="secrets">Tokens the session knows of, masked in the log line of an engine failure.</param>
    public (ScriptError Error, bool Faults) Classify(Exception e, CancellationToken deadline, IEnumerable<string> secrets)
    {
        var o = Limits.Options;
        switch (e)
        {
            case RegexMatchTimeoutException:
                return (new ScriptError(ScriptErrorKind.Timeout, "TimeoutError",
                    $"A regular expression ran past the script time limit of {o.TimeLimit.TotalMilliseconds:0} ms (catastrophic backtracking?); the session's scripts were stopped."), true);
            case TimeoutException:
                return (new ScriptError(ScriptErrorKind.Timeout, "TimeoutError",
                    $"Script time limit of {o.TimeLimit.TotalMilliseconds:0} ms exceeded (a loop that never yields?); the session's scripts were stopped."), true);
            case ExecutionCanceledException or OperationCanceledException when deadline.IsCancellationRequested:
                return (new ScriptError(ScriptErrorKind.Timeout, "TimeoutError",
                    $"The script did not finish within {o.InvocationDeadline.TotalSeconds:0.#} s (the invocation deadline)."), true);
            case MemoryLimitExceededException m when m.Message.StartsWith("The array size", StringComparison.Ordinal):
                // Refused before allocating: say so, rather than "memory limit exceeded" for memory that was never taken.
                return (new ScriptError(ScriptErrorKind.Memory, "RangeError",
                    $"Arrays may hold at most {ScriptLimits.MaxArraySize:N0} elements ({m.Message}); the session's scripts were stopped."), true);
            case MemoryLimitExceededException m:
                return (new ScriptError(ScriptErrorKind.Memory, "RangeError",
                    $"Script memory limit of {o.MemoryLimitMb} MB exceeded ({m.Message}); the session's scripts were stopped."), true);
            case RecursionDepthOverflowException:
                return (new ScriptError(ScriptErrorKind.Script, "RangeError",
                    $"Maximum call depth of {o.MaxCallDepth} exceeded (runaway recursion?)."), false);
            case InvalidOperationException when e.Message.Contains("Module loading", StringComparison.Ordinal):
                return (new ScriptError(ScriptErrorKind.Script, "Error", "import() is not available in scripts: all I/O goes through queries."), false);
            default:
                var incident = Interlocked.Increment(ref _incidents);
                // Not the exception itself: its message may quote script values (a token). Its type and stack name no value.
                LogEngineFailure(_logger, incident, e.GetType().FullName!, new Tokens.Redactor(secrets).Text(e.Message), e.StackTrace ?? "");
                return (new ScriptError(ScriptErrorKind.Script, "Error",
                    $"The script engine failed running this call (incident {incident}, logged on the server); the session's scripts were stopped."), true);
        }
    }

    public void Strike(string app, ScriptError error)
    {
        var reason = error.Kind == ScriptErrorKind.Memory ? "memory" : "timeout";
        Quarantine.Strike(app, $"incident {Interlocked.Increment(ref _incidents)}", reason);
        if (Quarantine.IsQuarantined(app, out var message)) LogQuarantined(_logger, app, message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "App {App} quarantined: {Message}")]
    private static partial void LogQuarantined(ILogger logger, string app, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "The script engine failed (incident {Incident}): {ExceptionType}: {ExceptionMessage}\n{StackTrace}")]
    private static partial void LogEngineFailure(ILogger logger, long incident, string exceptionType, string exceptionMessage, string stackTrace);
}
