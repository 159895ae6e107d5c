using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using LowCodeTokens.Engine.Bindings;
using LowCodeTokens.Engine.Queries;
using LowCodeTokens.Engine.Scripting.Jint;

namespace LowCodeTokens.Engine.Scripting.Globals;

/// <summary>
/// The entity's queries (SPEC §2): <c>Q.run(params?)</c> evaluates the query's bindings in this engine (with
/// <c>this.params</c>) and has the runtime send it; <c>Q.data</c>, <c>Q.responseMeta</c>, <c>Q.isLoading</c>, <c>Q.clear()</c>.
/// After a 401 the query's <c>onUnauthorized</c> function runs, the module functions its bindings read run again, and
/// the query is re-run once with re-evaluated bindings.
/// </summary>
internal sealed class QueryGlobals : IScriptGlobalProvider
{
    public void Install(ScriptEntity entity)
    {
        foreach (var spec in entity.Queries) entity.SetLazyGlobal(spec.Name, () => entity.QueryObjects[spec.Name] = new Query(entity, spec).Object);
    }

    private sealed class Query
    {
        private readonly ScriptEntity _entity;
        private readonly ScriptQuerySpec _spec;
        private JsValue[]? _bindings;

        public Query(ScriptEntity entity, ScriptQuerySpec spec)
        {
            _entity = entity;
            _spec = spec;
            Object = entity.NewObject();
            Object.FastSetDataProperty("data", JsValue.Undefined);
            Object.FastSetDataProperty("responseMeta", FreshMeta());
            Object.FastSetDataProperty("isLoading", JsBoolean.False);
            Object.FastSetDataProperty("run", entity.Function("run", (_, args) => Run(args.Length > 0 ? args[0] : JsValue.Undefined), 1));
            Object.FastSetDataProperty("clear", entity.Function("clear", (_, _) =>
            {
                Object.FastSetDataProperty("data", JsValue.Undefined);
                Object.FastSetDataProperty("responseMeta", FreshMeta());
                return entity.Resolved(entity.NewObject());
            }));
        }

        public ObjectInstance Object { get; }

        private JsObject FreshMeta()
        {
            var meta = _entity.NewObject();
            meta.FastSetDataProperty("statusCode", JsValue.Undefined);
            meta.FastSetDataProperty("isExecutionSuccess", JsBoolean.False);
            meta.FastSetDataProperty("headers", _entity.NewObject());
            return meta;
        }

        private JsValue Run(JsValue parameters)
        {
            if (_entity.WidgetMode)
                throw _entity.Error($"{_spec.Name}.run() cannot run from a widget binding; bind it to an event such as a button's onClick");
            if (!parameters.IsUndefined() && (parameters is not ObjectInstance || (parameters is JsArray) || parameters.IsCallable()))
            {
                var got = parameters.IsNull() ? "null" : (parameters is JsArray) ? "an array" : JwtGlobals.TypeName(parameters);
                return _entity.Rejected(_entity.Engine.Construct(_entity.Engine.Intrinsics.TypeError,
                    [$"{_spec.Name}.run(params): params must be an object, got {got}"]));
            }
            var (promise, resolve, reject) = _entity.NewPromise();
            Attempt(parameters.IsUndefined() ? _entity.NewObject() : parameters, rerun: false, resolve, reject);
            return promise;
        }

        private void Attempt(JsValue parameters, bool rerun, Action<JsValue> resolve, Action<JsValue> reject)
        {
            var engine = _entity.Engine;
            _bindings ??= EntityCode.ToArray((JsArray)engine.Evaluate(_entity.Session.Prepared.Query(_spec)));
            var scope = EntityCode.BindingScope(_entity, parameters);
            var values = new BindingValue[_bindings.Length];
            for (var i = 0; i < _bindings.Length; i++)
            {
                var where = $"{_spec.Name}: the binding {{{{ {_spec.Expressions[i]} }}}} in {_spec.Labels[i]}";
                try
                {
                    var json = JsonBridge.ToJson(engine, engine.Call(_bindings[i], scope, []), _entity.Limits.Options.MaxValueBytes);
                    values[i] = json is null ? BindingValue.Undefined : new BindingValue(json);
                }
                catch (JavaScriptException e)
                {
                    reject(_entity.NewError($"{where} threw: {_entity.MessageOf(e.Error)}"));
                    return;
                }
                catch (ValueTooLargeException e)
                {
                    reject(_entity.NewError($"{where} is {e.Message}"));
                    return;
                }
            }
            Object.FastSetDataProperty("isLoading", JsBoolean.True);
            var calls = _entity.Session.Calls;
            var name = _spec.Name;
            var entityName = _entity.Name;
            _entity.StartOperation(ct => calls.RunQueryAsync(entityName, name, values, rerun, ct),
                task => OnResult(task, parameters, rerun, resolve, reject));
        }

        private void OnResult(Task<QueryResult> task, JsValue parameters, bool rerun, Action<JsValue> resolve, Action<JsValue> reject)
        {
            Object.FastSetDataProperty("isLoading", JsBoolean.False);
            if (!task.IsCompletedSuccessfully)
            {
                reject(_entity.NewError($"{_spec.Name}: the query could not run ({task.Exception?.GetBaseException().Message ?? "canceled"})"));
                return;
            }
            var result = task.Result;
            var engine = _entity.Engine;
            var data = _entity.FromJson(result.DataJson);
            var meta = _entity.NewObject();
            meta.FastSetDataProperty("statusCode", result.StatusCode == 0 ? JsValue.Undefined : result.StatusCode);
            meta.FastSetDataProperty("isExecutionSuccess", result.IsExecutionSuccess);
            var headers = _entity.NewObject();
            foreach (var (k, v) in result.Headers) headers.FastSetDataProperty(k, v);
            meta.FastSetDataProperty("headers", headers);
            Object.FastSetDataProperty("data", data);
            Object.FastSetDataProperty("responseMeta", meta);

            if (result.StatusCode == 401 && _spec.OnUnauthorized is { } handler && !rerun)
            {
                Reauthorize(handler, parameters, resolve, reject);
                return;
            }
            if (result.IsExecutionSuccess) resolve(data);
            else reject(_entity.NewError(result.Error ?? $"{_spec.Name} failed"));
        }

        // The handler (a forced refresh) runs; then the module functions whose .data the bindings read run again, past
        // page-load coalescing, so that the re-run carries what the handler produced rather than the rejected value.
        private void Reauthorize(string handler, JsValue parameters, Action<JsValue> resolve, Action<JsValue> reject)
        {
            JsValue handled;
            try
            {
                var (owner, target) = _entity.ResolvePath(handler.Split('.'));
                if (!target.IsCallable()) throw _entity.Error($"{_spec.Name}: onUnauthorized {handler} is not a function");
                handled = _entity.Engine.Call(target, owner, []);
            }
            catch (JavaScriptException e)
            {
                reject(e.Error);
                return;
            }
            _entity.WhenSettled(handled, _ =>
            {
                var refetches = new List<JsValue>();
                foreach (var path in _spec.ModuleData ?? [])
                {
                    var dot = path.IndexOf('.');
                    _entity.Engine.Global.Get(path[..dot]); // the proxy is made on first read
                    if (_entity.ModuleCalls.TryGetValue(path[..dot], out var functions) && functions.TryGetValue(path[(dot + 1)..], out var again))
                        refetches.Add(again([], true));
                }
                _entity.WhenAll(refetches, _ => Attempt(parameters, rerun: true, resolve, reject), reject);
                return JsValue.Undefined;
            }, e => { reject(e); return JsValue.Undefined; });
        }
    }
}
