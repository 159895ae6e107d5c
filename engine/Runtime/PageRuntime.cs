using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Bindings;
using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Queries;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Engine.Telemetry;
using LowCodeTokens.Engine.Tokens;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>
/// Loads pages (SPEC §3: plan, layers, widgets), runs actions in sessions, and serves what scripts ask of the engine:
/// query runs and module calls (with single flight and page-load coalescing). Every store write a script makes is
/// persisted before the result that depends on it leaves the engine. Each step is a span of <see cref="LowCodeTelemetry.Source"/>
/// (page load → layer → action → query / module call, the query's HTTP client span below it) and a measurement of
/// <see cref="EngineMetrics"/>; spans carry names and outcomes, never a scope, a value or a URL.
/// </summary>
internal sealed class PageRuntime(
    IAppCatalog catalog,
    SessionManager sessions,
    IScriptEngine engine,
    IAppStore store,
    IStoreLock storeLock,
    IQueryExecutor executor,
    TimeProvider time,
    EngineMetrics metrics,
    TokenEventLog events) : IPageRuntime, IScopedRuntime
{
    private readonly SingleFlight<ScriptOutcome> _flights = new();
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<CompiledApp, PagePlan> _modulePlans = new();

    public Task<RunResult?> RunAsync(string app, string scope, string sessionId, string action, string argsJson, CancellationToken ct = default) =>
        sessions.Find(sessionId) is { } session && session.App == app && session.Scope == scope
            ? RunAsync(session, action, argsJson, ct)
            : Task.FromResult<RunResult?>(null);

    public async Task<ModuleCallResult> CallModuleAsync(string app, string scope, string instance, string function, string argsJson, CancellationToken ct = default)
    {
        if (Names.ScopeProblem(scope) is { } scopeProblem) throw new ArgumentException(scopeProblem, nameof(scope));
        var compiled = await catalog.GetAsync(app, ct) ?? throw new AppNotFoundException($"App '{app}' does not exist.");
        // A page of its own with no queries, objects or widgets: the session holds only the app's module instances.
        var plan = _modulePlans.GetValue(compiled, c => PagePlanner.Empty(c.Definition, new PageDefinition { Name = "(module call)" }, c.ScriptModules));
        // Closed right after the call, so it neither counts against the app's session cap nor closes someone's page for room.
        var session = sessions.Create(app, scope, compiled, plan, new SessionActivity(coalesce: false), capped: false);
        try
        {
            var result = await CallModuleAsync(session, instance, function, argsJson, fresh: true, ct);
            await session.PersistTail;
            return result;
        }
        finally
        {
            sessions.Close(session);
        }
    }

    public async Task<PageLoadResult> LoadPageAsync(string app, string page, string scope, CancellationToken ct = default)
    {
        // The host's validators answer 400 first; this holds for every other caller of the runtime.
        if (Names.ScopeProblem(scope) is { } scopeProblem) throw new ArgumentException(scopeProblem, nameof(scope));
        var compiled = await catalog.GetAsync(app, ct) ?? throw new AppNotFoundException($"App '{app}' does not exist.");
        if (!compiled.Pages.TryGetValue(page, out var plan)) throw new AppNotFoundException($"App '{app}' has no page '{page}'.");

        var started = time.GetTimestamp();
        using var span = LowCodeTelemetry.Source.StartActivity("page load");
        span?.SetTag("lowcodetokens.app", app);
        span?.SetTag("lowcodetokens.page", page);
        var activity = new SessionActivity(coalesce: true);
        var session = sessions.Create(app, scope, compiled, plan, activity);
        for (int layer = 0; layer < plan.Layers.Count; layer++)
        {
            var number = layer;
            using var layerSpan = LowCodeTelemetry.Source.StartActivity("layer");
            layerSpan?.SetTag("lowcodetokens.layer", number);
            await Task.WhenAll(plan.Layers[layer].Select(a => RunPlannedAsync(session, activity, a, number, ct)));
        }
        var widgets = await EvaluateWidgetsAsync(session, activity, ct);
        session.Activity = null;
        await session.PersistTail;
        Idle(session);
        var redactor = ResultRedaction.For(compiled, session.Store);
        var result = ResultRedaction.Apply(redactor, new PageLoadResult(session.Id, activity.Reports, widgets, activity.Logs));
        var ok = result.Actions.All(a => a.Status == "success");
        metrics.PageLoad(app, time.GetElapsedTime(started), ok);
        span?.SetStatus(ok ? ActivityStatusCode.Unset : ActivityStatusCode.Error);
        return result;
    }

    public Task<RunResult?> RunAsync(string app, string sessionId, string action, string argsJson, CancellationToken ct = default) =>
        sessions.Find(sessionId) is { } session && session.App == app ? RunAsync(session, action, argsJson, ct) : Task.FromResult<RunResult?>(null);

    private async Task<RunResult?> RunAsync(Session session, string action, string argsJson, CancellationToken ct)
    {
        var activity = new SessionActivity(coalesce: false);
        session.Activity = activity;

        var (path, expression) = ResolveAction(session, action);
        var outcome = await InvokeAsync(session, s => expression is null
            ? s.CallAsync(ScriptEntities.Page, path!, argsJson, ct)
            : s.RunExpressionAsync(ScriptEntities.Page, expression, ct), ct);
        activity.AddLogs(outcome.Logs);
        var widgets = await EvaluateWidgetsAsync(session, activity, ct);
        session.Activity = null;
        await session.PersistTail;
        Idle(session);
        var result = outcome.WasSuccessful(out var json, out _) ? JsonNode.Parse(json) : null;
        var redactor = ResultRedaction.For(session.Compiled, session.Store);
        return ResultRedaction.Apply(redactor, new RunResult(result, outcome.Error, activity.Reports, widgets, activity.Logs));
    }

    // `Button1.onClick` runs the widget's event binding; `getusers_API` or `getusers_API.run` runs the query;
    // anything else is a function path such as `JSObject1.fn` or `Auth_Module.getAccessToken`.
    private static (IReadOnlyList<string>? Path, string? Expression) ResolveAction(Session session, string action)
    {
        var parts = action.Split('.');
        var page = session.Plan.Page;
        var widget = page.Widgets.FirstOrDefault(w => w.Name == parts[0]);
        if (widget is not null && parts.Length == 2)
        {
            if (!widget.Properties.TryGetValue(parts[1], out var prop) || prop.ValueKind != JsonValueKind.String)
                throw new AppNotFoundException($"Widget '{widget.Name}' has no event '{parts[1]}'.");
            var template = TemplateParser.Parse(prop.GetString()!);
            if (!template.IsSingleBinding) throw new AppNotFoundException($"{action} is not a {{{{ }}}} action binding.");
            return (null, template.Expressions.First());
        }
        if (page.Queries.Any(q => q.Name == parts[0]) && (parts.Length == 1 || (parts.Length == 2 && parts[1] == "run")))
            return ([parts[0], "run"], null);
        if (parts.Length != 2) throw new AppNotFoundException($"'{action}' is not an action of page '{page.Name}'.");
        // Only the functions the object declares (found when the page was planned): not what it inherits (`JSObject1.constructor`,
        // `toString`) or holds as data.
        var isJsFunction = session.Plan.JsFunctions.Contains(action);
        var isModuleFunction = session.Compiled.Modules.TryGetValue(parts[0], out var module) && module.Functions.Contains(parts[1]);
        if (!isJsFunction && !isModuleFunction) throw new AppNotFoundException($"'{action}' is not an action of page '{page.Name}'.");
        return (parts, null);
    }

    private async Task RunPlannedAsync(Session session, SessionActivity activity, PageAction action, int layer, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var kind = action.Kind == PageActionKind.Query ? "query" : "function";
        using var span = LowCodeTelemetry.Source.StartActivity("action");
        span?.SetTag("lowcodetokens.action", action.Name);
        span?.SetTag("lowcodetokens.action.kind", kind);
        var outcome = await InvokeAsync(session, s => s.CallAsync(ScriptEntities.Page, action.Path, "[]", ct), ct);
        metrics.Action(session.App, kind, time.GetElapsedTime(started), outcome.Error is null);
        if (outcome.Error is not null) span?.SetStatus(ActivityStatusCode.Error);
        activity.AddLogs(outcome.Logs);
        // Queries and module functions report themselves when they execute; a JS function, or an action that failed
        // before it reached the engine (a binding threw), is reported here.
        if (activity.TryAssignLayer(action.Name, layer)) return;
        var ok = outcome.WasSuccessful(out var json, out var error);
        activity.Add(new ActionReport
        {
            Name = action.Name,
            Kind = kind,
            Layer = layer,
            Status = ok ? "success" : "error",
            Data = ok ? JsonNode.Parse(json!) : null,
            Error = error?.Message,
            DurationMs = time.GetElapsedTime(started).TotalMilliseconds,
        });
    }

    private async Task<JsonObject> EvaluateWidgetsAsync(Session session, SessionActivity activity, CancellationToken ct)
    {
        var widgets = (JsonObject)session.Plan.StaticWidgets.DeepClone();
        if (session.Plan.WidgetItems.Count == 0) return widgets;

        var outcome = await InvokeAsync(session, s => s.EvaluateWidgetsAsync(session.Plan.WidgetItems, ct), ct);
        activity.AddLogs(outcome.Logs);
        if (!outcome.WasSuccessful(out var json, out var error))
        {
            foreach (var (_, node) in widgets) ((JsonObject)node!)["errors"] = new JsonObject { ["*"] = error.Message };
            return widgets;
        }
        foreach (var (widgetName, props) in JsonNode.Parse(json)!.AsObject())
        {
            if (widgets[widgetName] is not JsonObject entry) continue;
            foreach (var (prop, result) in props!.AsObject())
            {
                if (result!["ok"]!.GetValue<bool>())
                {
                    entry[prop] = result["value"]?.DeepClone();
                }
                else
                {
                    entry[prop] = null;
                    if (entry["errors"] is not JsonObject errors) entry["errors"] = errors = new JsonObject();
                    errors[prop] = result["error"]!.GetValue<string>();
                }
            }
        }
        return widgets;
    }

    internal static bool IsEvent(string property) => property.StartsWith("on", StringComparison.Ordinal) && property.Length > 2 && char.IsUpper(property[2]);

    /// <summary>
    /// One call into the session's scripts: it starts from the latest persisted store (after this session's earlier writes
    /// are durable), and what it wrote is durable before it returns.
    /// </summary>
    private async Task<ScriptOutcome> InvokeAsync(Session session, Func<IScriptSession, Task<ScriptOutcome>> call, CancellationToken ct)
    {
        sessions.Touch(session);
        await session.PersistTail;
        session.Store.Refresh(await store.ReadAsync(session.App, session.Scope, ct));
        var started = time.GetTimestamp();
        var outcome = await call(ScriptsOf(session));
        metrics.Script(session.App, time.GetElapsedTime(started), outcome.Error is null);
        await PersistAsync(session, ct);
        return outcome;
    }

    private static void Idle(Session session)
    {
        lock (session.ScriptsGate) session.Scripts?.Idle();
    }

    private IScriptSession ScriptsOf(Session session)
    {
        lock (session.ScriptsGate)
        {
            // A session whose scripts broke a limit starts over with fresh engines (its JS object variables reset).
            if (session.Scripts is null || session.Scripts.IsFaulted)
            {
                session.Scripts?.Dispose();
                session.Scripts = engine.OpenSession(session.Plan.Script, session.Store, new SessionScriptCalls(this, session));
            }
            return session.Scripts;
        }
    }

    private Task PersistAsync(Session session, CancellationToken ct)
    {
        var writes = session.Store.Drain();
        return writes.Count == 0
            ? session.PersistTail
            : session.ChainPersist(() => store.ApplyAsync(session.App, session.Scope, writes, ct));
    }

    internal async Task<QueryResult> RunQueryAsync(Session session, string entity, string name, IReadOnlyList<BindingValue> values, bool rerun, CancellationToken ct)
    {
        sessions.Touch(session);
        // What the script stored before it ran the query is durable before the request leaves.
        await PersistAsync(session, ct);
        var isPage = entity == ScriptEntities.Page;
        var query = isPage
            ? session.Plan.Page.Queries.FirstOrDefault(q => q.Name == name)
            : session.Compiled.Modules.TryGetValue(entity, out var module) ? module.FindQuery(name) : null;
        if (query is null) return new QueryResult { Error = $"Unknown query '{name}'." };
        var datasource = isPage ? session.Compiled.FindDatasource(query.Datasource) : null;
        var request = QueryRequestBuilder.Build(query, datasource, values);
        // A page query without a datasource and every module query obey the app's allowedHosts: the app that gives a module
        // its inputs (the Auth module's tokenUrl) says which hosts they may name.
        if (datasource is null) request = request with { AllowedHosts = session.Compiled.Definition.AllowedHosts };

        async Task<QueryResult> Execute()
        {
            using var span = LowCodeTelemetry.Source.StartActivity("query");
            span?.SetTag("lowcodetokens.query", name);
            span?.SetTag("lowcodetokens.module", isPage ? null : entity);
            // Only the upstream request waits for a turn (not the script around it), so a held turn never waits on another.
            await session.QueryGate.WaitAsync(ct);
            QueryResult result;
            try
            {
                result = await executor.ExecuteAsync(request, ct);
            }
            finally
            {
                session.QueryGate.Release();
            }
            metrics.Query(session.App, result.Duration, result.IsExecutionSuccess);
            span?.SetTag("http.response.status_code", result.StatusCode == 0 ? null : result.StatusCode);
            if (!result.IsExecutionSuccess) span?.SetStatus(ActivityStatusCode.Error);
            if (isPage)
            {
                session.Activity?.Add(new ActionReport
                {
                    Name = name,
                    Kind = "query",
                    Status = result.IsExecutionSuccess ? "success" : "error",
                    Data = JsonNode.Parse(result.DataJson),
                    ResponseMeta = new JsonObject
                    {
                        ["statusCode"] = result.StatusCode,
                        ["isExecutionSuccess"] = result.IsExecutionSuccess,
                        ["headers"] = new JsonObject(result.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))),
                    },
                    Error = result.Error,
                    DurationMs = result.Duration.TotalMilliseconds,
                });
            }
            // A failed answer (invalid_grant) is read against the latest store: another replica may have rotated the token.
            if (!result.IsExecutionSuccess) session.Store.Refresh(await store.ReadAsync(session.App, session.Scope, ct));
            return result;
        }

        var activity = session.Activity;
        if (activity is null || rerun || !isPage) return await Execute();
        var key = string.Join('\u0001', values.Select(v => v.Json ?? "\u0002"));
        return await activity.RunOnce($"query|{name}|{key}", Execute);
    }

    internal async Task<ModuleCallResult> CallModuleAsync(Session session, string instance, string function, string args, bool fresh, CancellationToken ct)
    {
        sessions.Touch(session);
        if (!session.Compiled.Modules.TryGetValue(instance, out var module) || !module.Functions.Contains(function))
            return ModuleCallResult.Failure($"{instance}.{function} is not a function of the app's modules.");
        await PersistAsync(session, ct);

        async Task<ModuleCallResult> Execute()
        {
            var started = time.GetTimestamp();
            using var span = LowCodeTelemetry.Source.StartActivity("module call");
            span?.SetTag("lowcodetokens.module", instance);
            span?.SetTag("lowcodetokens.function", function);
            var outcome = module.IsSingleFlight(function)
                ? await _flights.RunAsync($"{session.App}\u0000{session.Scope}\u0000{instance}.{function}\u0000{args}", async () =>
                {
                    // Across replicas: lock, then (inside InvokeAsync) re-read the store, then run.
                    await using var held = await storeLock.AcquireAsync($"sf:{session.App}:{session.Scope}:{instance}.{function}:{args}", ct);
                    return await InvokeAsync(session, s => s.CallAsync(instance, [instance, function], args, ct), ct);
                }, () =>
                {
                    metrics.Joined(session.App, instance);
                    span?.SetTag("lowcodetokens.single_flight.joined", true);
                })
                : await InvokeAsync(session, s => s.CallAsync(instance, [instance, function], args, ct), ct);
            if (outcome.Error is not null) span?.SetStatus(ActivityStatusCode.Error);
            session.Activity?.AddLogs(outcome.Logs);
            var ok = outcome.WasSuccessful(out var json, out var error);
            session.Activity?.Add(new ActionReport
            {
                Name = $"{instance}.{function}",
                Kind = "function",
                Status = ok ? "success" : "error",
                Data = ok ? JsonNode.Parse(json!) : null,
                Error = error?.Message,
                DurationMs = time.GetElapsedTime(started).TotalMilliseconds,
            });
            if (!ok) return ModuleCallResult.Failure(error!.Message);
            // The caller sees what the module stored (single-flight waiters did not run it themselves).
            session.Store.Refresh(await store.ReadAsync(session.App, session.Scope, ct));
            return ModuleCallResult.Success(outcome.ValueJson);
        }

        var activity = session.Activity;
        if (activity is null || fresh) return await Execute();
        return await activity.RunOnce($"module|{instance}.{function}|{args}", Execute);
    }

    /// <summary>
    /// A lifecycle event module instance <paramref name="instance"/> reported in this session's (app, scope): its error is
    /// masked with the session's known secrets and token patterns; a grant name that looks like a secret is refused.
    /// </summary>
    internal string? ReportTokenEvent(Session session, string instance, ScriptTokenEvent reported)
    {
        if (!session.Compiled.Modules.ContainsKey(instance)) return $"'{instance}' is not a module instance of app '{session.App}'";
        // Built only for an event that has text to check: most (issued, refreshed) carry neither a grant nor an error.
        Redactor? redactor = null;
        if (reported.Grant is { } grant && (redactor ??= ResultRedaction.For(session.Compiled, session.Store)).Text(grant) != grant)
            return "details.grant looks like a secret";
        events.Record(new TokenEvent(0, default, reported.Type, session.App, instance, session.Scope,
            reported.Grant,
            At(reported.ExpiresAtMs), At(reported.RefreshAtMs), At(reported.NextAttemptAtMs),
            reported.Failures, reported.Status,
            reported.Error is { } error ? (redactor ?? ResultRedaction.For(session.Compiled, session.Store)).Text(error) : null));
        return null;

        static DateTimeOffset? At(double? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds((long)v) : null;
    }
}
