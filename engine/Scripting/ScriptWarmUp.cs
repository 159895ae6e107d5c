using System.Diagnostics;
using LowCodeTokens.Engine.Bindings;
using LowCodeTokens.Engine.Queries;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace LowCodeTokens.Engine.Scripting;

/// <summary>
/// Runs a page and a module instance like the shipped Auth module once through the script engine when the host starts,
/// on a pool thread and without waiting for it, so that the first page load does not pay for compiling the interpreter.
/// </summary>
/// <remarks>
/// Profiled cold start (docs/benchmarks.md): building Jint's options reads every time zone of the machine (~130 ms), and the
/// first session JIT-compiles Jint's interpreter, realm and the engine's globals (hundreds of ms) — all on the first page
/// load's path. The host builds on one core; this runs on the other meanwhile. Nothing it does is stored or reaches an app:
/// its query runs and module calls are answered here, not by the runtime. <c>Scripting:WarmUp</c> false turns it off.
/// </remarks>
internal sealed partial class ScriptWarmUp(IServiceProvider services, IOptions<LowCodeEngineOptions> options, ILogger<ScriptWarmUp> logger) : IHostedService
{
    private Task _run = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Scripting.WarmUp)
            _run = Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    // Resolved here, not in the constructor: building the engine is part of what moves off the start-up path.
                    await RunAsync(services.GetRequiredService<IScriptEngine>(), cancellationToken);
                    LogWarm(logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Only speed is at stake: the first page load compiles what this did not.
                    LogFailed(logger, e);
                }
            }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _run.WaitAsync(cancellationToken);

    /// <summary>One page load's worth of script work: a page function awaiting a module's token function (which runs a token
    /// query, stores the token and decodes its JWT), then a query whose binding reads the token; then the widgets.</summary>
    internal static async Task<string> RunAsync(IScriptEngine engine, CancellationToken ct = default)
    {
        var spec = new ScriptSessionSpec("(warm-up)",
            new ScriptPageSpec(
                [new ScriptQuerySpec("users", ["Warm.getToken.data"], ["headers.Authorization"], ModuleData: ["Warm.getToken"])],
                [new ScriptCodeSpec("Page", PageCode, "warm-up/page.js")],
                [new ScriptModuleProxySpec("Warm", ["getToken"])],
                [new ScriptWidgetSpec("Text1", "TEXT")],
                HoldsNoState: true),
            [new ScriptModuleSpec(new ScriptCodeSpec("Warm", ModuleCode, "warm-up/main.js"), """{"grantType":"client_credentials","storeKeyPrefix":"warm"}""",
                [new ScriptQuerySpec("token", ["inputs.grantType"], ["body.grant_type"])], HoldsNoState: true)]);
        var calls = new Calls();
        using var session = engine.OpenSession(spec, new SessionStore(), calls);
        calls.Session = session;
        var load = await session.CallAsync(ScriptEntities.Page, ["Page", "onPageLoad"], "[]", ct);
        if (!load.WasSuccessful(out var value, out var error)) throw new InvalidOperationException($"warm-up page load failed: {error.Message}");
        var widgets = await session.EvaluateWidgetsAsync([new ScriptWidgetBinding("Text1", "text", false,
            [new ScriptTextSegment("Users: ", false), new ScriptTextSegment("users.data.results.length", true)])], ct);
        if (widgets.Error is not null) throw new InvalidOperationException($"warm-up widgets failed: {widgets.Error.Message}");
        session.Idle();
        return value;
    }

    private const string ModuleCode = """
        const key = (name) => `${inputs.storeKeyPrefix || 'auth'}${name}`;
        const stored = (name) => appsmith.store[key(name)];
        const present = (v) => v !== undefined && v !== null && String(v) !== '';
        function header(headers, name) {
          for (const [k, v] of Object.entries(headers || {})) if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
          return undefined;
        }
        export default {
          async getToken() {
            if (present(stored('AccessToken')) && Date.now() < Number(stored('RefreshAt'))) return stored('AccessToken');
            await token.run();
            if (token.responseMeta.statusCode !== 200) throw new Error(`token: ${token.responseMeta.statusCode} ${header(token.responseMeta.headers, 'content-type')}`);
            const body = token.data;
            const now = Date.now();
            const expiresAt = tokens.expiresAt(body, { now });
            const claims = jwt.decode(body.access_token);
            console.log('warm', claims.sub, atob(btoa('x')), JSON.stringify({ expiresAt }).length, /^[a-z]+$/i.test('abc'));
            await Promise.all([
              storeValue(key('AccessToken'), body.access_token),
              storeValue(key('ExpiresAt'), expiresAt),
              storeValue(key('RefreshAt'), tokens.refreshAt(now, expiresAt)),
              removeValue(key('LastError')),
            ]);
            return body.access_token;
          },
        }
        """;

    private const string PageCode = """
        export default {
          async onPageLoad() {
            await Warm.getToken();
            await users.run();
            return users.data.results.map((u) => ({ ...u, name: u.name.toUpperCase() })).filter((u) => u.id > 0).length;
          },
        }
        """;

    /// <summary>Answers the warm-up's query runs and module calls: the token query with a JWT, the users query with a list.</summary>
    private sealed class Calls : IScriptCalls
    {
        private static readonly string Jwt = $"{Base64UrlEncoder.Encode("""{"alg":"none"}""")}.{Base64UrlEncoder.Encode("""{"sub":"warm-up","exp":4102444800}""")}.sig";

        public IScriptSession? Session { get; set; }

        public Task<QueryResult> RunQueryAsync(string entity, string query, IReadOnlyList<BindingValue> values, bool rerun, CancellationToken ct) =>
            Task.FromResult(new QueryResult
            {
                StatusCode = 200,
                IsExecutionSuccess = true,
                Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
                DataJson = query == "token"
                    ? $$"""{"access_token":"{{Jwt}}","token_type":"Bearer","expires_in":3600}"""
                    : """{"results":[{"id":1,"name":"alice"},{"id":2,"name":"bob"}]}""",
            });

        public async Task<ModuleCallResult> CallModuleAsync(string instance, string function, string argsJson, bool fresh, CancellationToken ct)
        {
            var outcome = await Session!.CallAsync(instance, [instance, function], argsJson, ct);
            return outcome.WasSuccessful(out var json, out var error) ? ModuleCallResult.Success(json) : ModuleCallResult.Failure(error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Script engine warmed up in {Ms:0} ms")]
    private static partial void LogWarm(ILogger logger, double ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Script engine warm-up failed; the first page load will compile the engine instead")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
