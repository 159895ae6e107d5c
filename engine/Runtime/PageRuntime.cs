using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Bindings;
using LowCodeTokens.Engine.Queries;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Engine.Tokens;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>
/// Loads pages in layers, runs actions in sessions, and serves what scripts ask of the engine: query runs and
/// module calls (with single flight and page-load coalescing). Every store write a script makes is persisted
/// before the result that depends on it leaves the engine.
/// </summary>
internal sealed class PageRuntime(
    IAppCatalog catalog,
    SessionManager sessions,
    IScriptHost host,
    IAppStore store,
    IStoreLock storeLock,
    IQueryExecutor executor,
    TimeProvider time) : IPageRuntime, IScriptCallbackHandler
{
    private readonly SingleFlight<ScriptOutcome> _flights = new();

    public async Task<PageLoadResult> LoadPageAsync(string app, string page, string scope, CancellationToken ct = default)
    {
        var compiled = await catalog.GetAsync(app, ct) ?? throw new AppNotFoundException($"App '{app}' does not exist.");
        if (!compiled.Pages.TryGetValue(page, out var plan)) throw new AppNotFoundException($"App '{app}' has no page '{page}'.");

        var activity = new SessionActivity(coalesce: true);
        var session = sessions.Create(app, scope, compiled, plan, activity);
        for (int layer = 0; layer < plan.Layers.Count; layer++)
        {
            var number = layer;
            await Task.WhenAll(plan.Layers[layer].Select(a => RunPlannedAsync(session, activity, a, number, ct)));
        }
        var widgets = await EvaluateWidgetsAsync(session, activity, ct);
        session.Activity = null;
        await session.PersistTail;
        var redactor = await ResultRedaction.ForAsync(session.Compiled, store, session.App, session.Scope, ct);
        return ResultRedaction.Apply(redactor, new PageLoadResult(session.Id, activity.Reports, widgets, activity.Logs));
    }

    public async Task<RunResult?> RunAsync(string app, string sessionId, string action, string argsJson, CancellationToken ct = default)
    {
        var session = sessions.Find(sessionId);
        if (session is null || session.App != app) return null;
        var activity = new SessionActivity(coalesce: false);
        session.Activity = activity;

        var (path, expression) = ResolveAction(session, action);
        var outcome = await InvokeAsync(session, "page", path, expression, argsJson, ct);
        activity.AddLogs(outcome.Logs);
        var widgets = await EvaluateWidgetsAsync(session, activity, ct);
        session.Activity = null;
        await session.PersistTail;
        var result = outcome.WasSuccessful(out var json, out _) ? JsonNode.Parse(json) : null;
        var redactor = await ResultRedaction.ForAsync(session.Compiled, store, session.App, session.Scope, ct);
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
        var isJsFunction = page.JsObjects.Any(o => o.Name == parts[0]);
        var isModuleFunction = session.Compiled.Modules.TryGetValue(parts[0], out var module) && module.Functions.Contains(parts[1]);
        if (!isJsFunction && !isModuleFunction) throw new AppNotFoundException($"'{action}' is not an action of page '{page.Name}'.");
        return (parts, null);
    }

    private async Task RunPlannedAsync(Session session, SessionActivity activity, PageAction action, int layer, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var outcome = await InvokeAsync(session, "page", action.Path, null, "[]", ct);
        activity.AddLogs(outcome.Logs);
        // Queries and module functions report themselves when they execute; a JS function, or an action that failed
        // before it reached the engine (a binding threw), is reported here.
        if (activity.TryAssignLayer(action.Name, layer)) return;
        var ok = outcome.WasSuccessful(out var json, out var error);
        activity.Add(new ActionReport
        {
            Name = action.Name,
            Kind = action.Kind == PageActionKind.Query ? "query" : "function",
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

        var outcome = await WithSessionAsync(session, send => host.EvaluateAsync(session.App, session.Id, session.Plan.WidgetItems, send, ct), ct);
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

    private Task<ScriptOutcome> InvokeAsync(Session session, string context, IReadOnlyList<string>? path, string? expression, string argsJson, CancellationToken ct) =>
        WithSessionAsync(session, send => host.InvokeAsync(new ScriptInvocation
        {
            App = session.App,
            Session = session.Id,
            Context = context,
            Path = path,
            Expression = expression,
            ArgsJson = argsJson,
            Store = send,
            ClockOffsetMs = (long)(time.GetUtcNow() - DateTimeOffset.UtcNow).TotalMilliseconds,
            ClockFixedMs = time == TimeProvider.System ? null : time.GetUtcNow().ToUnixTimeMilliseconds(),
        }, ct), ct);

    // Opens the session's contexts when needed (first use, or after the script host lost them), sends the
    // persisted store when the session's copy is stale, and persists what the script wrote.
    private async Task<ScriptOutcome> WithSessionAsync(Session session, Func<StoreSnapshot?, Task<ScriptOutcome>> call, CancellationToken ct)
    {
        for (int attempt = 0; ; attempt++)
        {
            var opened = await EnsureOpenAsync(session, ct);
            if (opened is not null) return opened;
            var snapshot = await store.ReadAsync(session.App, session.Scope, ct);
            var send = snapshot.Version != Interlocked.Read(ref session.SentStoreVersion) ? snapshot : null;
            var outcome = await call(send);
            if (send is not null) Interlocked.Exchange(ref session.SentStoreVersion, snapshot.Version);
            if (outcome.Error?.Kind == ScriptErrorKind.SessionUnknown && attempt == 0)
            {
                session.Opened = false;
                continue;
            }
            await PersistAsync(session, outcome.Writes, ct);
            return outcome;
        }
    }

    private async Task<ScriptOutcome?> EnsureOpenAsync(Session session, CancellationToken ct)
    {
        if (session.Opened) return null;
        await session.OpenLock.WaitAsync(ct);
        try
        {
            if (session.Opened) return null;
            var spec = new ScriptSessionSpec(session.App, session.Id, session.Plan.ScriptPage, session.Compiled.ScriptModules);
            var outcome = await host.OpenSessionAsync(spec, ct);
            if (outcome.Error is not null) return outcome;
            Interlocked.Exchange(ref session.SentStoreVersion, -1);
            session.Opened = true;
            return null;
        }
        finally
        {
            session.OpenLock.Release();
        }
    }

    private Task PersistAsync(Session session, IReadOnlyList<StoreWrite> writes, CancellationToken ct) =>
        writes.Count == 0
            ? session.PersistTail
            : session.ChainPersist(() => store.ApplyAsync(session.App, session.Scope, writes, ct));

    public async Task<ScriptCallbackResult> HandleAsync(ScriptCallback callback, CancellationToken ct)
    {
        var session = sessions.Peek(callback.Session);
        // The script host names the session; the app must match the worker that asked.
        if (session is null || session.App != callback.App)
            return new ScriptCallbackResult(false, "The session of this script is no longer open.");
        await PersistAsync(session, callback.Writes, ct);
        return callback.Operation switch
        {
            "query" => await RunQueryAsync(session, callback.Context, callback.Payload, ct),
            "module" => await CallModuleAsync(session, callback.Payload, ct),
            _ => new ScriptCallbackResult(false, $"Unknown operation '{callback.Operation}'."),
        };
    }

    private async Task<ScriptCallbackResult> RunQueryAsync(Session session, string context, string payload, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(payload);
        var name = doc.RootElement.GetProperty("query").GetString()!;
        var rerun = doc.RootElement.GetProperty("rerun").GetBoolean();
        var valuesElement = doc.RootElement.GetProperty("values");
        var values = valuesElement.EnumerateArray()
            .Select(v => v.ValueKind == JsonValueKind.Null ? BindingValue.Undefined : new BindingValue(v.GetString()))
            .ToArray();

        var isPage = context == "page";
        var query = isPage
            ? session.Plan.Page.Queries.FirstOrDefault(q => q.Name == name)
            : session.Compiled.Modules.TryGetValue(context, out var module) ? module.FindQuery(name) : null;
        if (query is null) return new ScriptCallbackResult(false, $"Unknown query '{name}'.");
        var datasource = isPage ? session.Compiled.FindDatasource(query.Datasource) : null;
        var request = QueryRequestBuilder.Build(query, datasource, values);

        async Task<ScriptCallbackResult> Execute()
        {
            var result = await executor.ExecuteAsync(request, ct);
            var meta = new JsonObject
            {
                ["statusCode"] = result.StatusCode,
                ["isExecutionSuccess"] = result.IsExecutionSuccess,
                ["headers"] = new JsonObject(result.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))),
            };
            var text = new JsonObject { ["data"] = JsonNode.Parse(result.DataJson), ["meta"] = meta, ["error"] = result.Error };
            if (isPage)
            {
                session.Activity?.Add(new ActionReport
                {
                    Name = name,
                    Kind = "query",
                    Status = result.IsExecutionSuccess ? "success" : "error",
                    Data = JsonNode.Parse(result.DataJson),
                    ResponseMeta = meta.DeepClone(),
                    Error = result.Error,
                    DurationMs = result.Duration.TotalMilliseconds,
                });
            }
            // A failed answer (invalid_grant) comes with the latest store: another replica may have rotated the token.
            var latest = result.IsExecutionSuccess ? null : await store.ReadAsync(session.App, session.Scope, ct);
            return new ScriptCallbackResult(true, text.ToJsonString(), latest);
        }

        var activity = session.Activity;
        if (activity is null || rerun || !isPage) return await Execute();
        return await activity.RunOnce($"query|{name}|{valuesElement.GetRawText()}", Execute);
    }

    private async Task<ScriptCallbackResult> CallModuleAsync(Session session, string payload, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(payload);
        var instance = doc.RootElement.GetProperty("instance").GetString()!;
        var function = doc.RootElement.GetProperty("fn").GetString()!;
        var args = doc.RootElement.GetProperty("args").GetString()!;
        var fresh = doc.RootElement.TryGetProperty("fresh", out var f) && f.ValueKind == JsonValueKind.True;
        if (!session.Compiled.Modules.TryGetValue(instance, out var module) || !module.Functions.Contains(function))
            return new ScriptCallbackResult(false, $"{instance}.{function} is not a function of the app's modules.");

        async Task<ScriptCallbackResult> Execute()
        {
            var started = time.GetTimestamp();
            var outcome = module.IsSingleFlight(function)
                ? await _flights.RunAsync($"{session.App}\u0000{session.Scope}\u0000{instance}.{function}\u0000{args}", async () =>
                {
                    // Across replicas: lock, then (inside InvokeAsync) re-read the store, then run.
                    await using var held = await storeLock.AcquireAsync($"sf:{session.App}:{session.Scope}:{instance}.{function}:{args}", ct);
                    return await InvokeAsync(session, instance, [instance, function], null, args, ct);
                })
                : await InvokeAsync(session, instance, [instance, function], null, args, ct);
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
            if (!ok) return new ScriptCallbackResult(false, error!.Message);
            // The caller's context sees what the module stored (single-flight waiters did not run it themselves).
            var fresh = await store.ReadAsync(session.App, session.Scope, ct);
            return new ScriptCallbackResult(true, json!, fresh);
        }

        var activity = session.Activity;
        if (activity is null || fresh) return await Execute();
        return await activity.RunOnce($"module|{instance}.{function}|{args}", Execute);
    }
}
