using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using LowCodeTokens.Engine.Scripting.Jint;

namespace LowCodeTokens.Engine.Scripting.Globals;

/// <summary>
/// In the page: each module instance the app uses (<c>Auth_Module</c>) as an object of its main functions. A call crosses
/// to the instance's own engine as JSON, through the runtime (single flight, coalescing); <c>fn.data</c> holds its last
/// result in this session (<c>{}</c> before the first call, undefined after a failure).
/// </summary>
internal sealed class ModuleCallGlobals : IScriptGlobalProvider
{
    public void Install(ScriptEntity entity)
    {
        if (!entity.IsPage) return;
        foreach (var module in entity.Session.Spec.Page.Modules)
            entity.SetLazyGlobal(module.Name, () => entity.FunctionObjects[module.Name] = Proxy(entity, module));
    }

    private static ObjectInstance Proxy(ScriptEntity entity, ScriptModuleProxySpec module)
    {
        var proxy = entity.NewObject();
        var calls = new Dictionary<string, Func<JsValue[], bool, JsValue>>(StringComparer.Ordinal);
        entity.ModuleCalls[module.Name] = calls;
        foreach (var fn in module.Functions)
        {
            var instance = module.Name;
            var function = entity.Function(fn, (_, _) => JsValue.Undefined); // replaced below; declared for the closure
            JsValue Call(JsValue[] args, bool fresh)
            {
                string argsJson;
                try
                {
                    argsJson = JsonBridge.ToJson(entity.Engine, new JsArray(entity.Engine, args), entity.Limits.Options.MaxValueBytes) ?? "[]";
                }
                catch (Exception e) when (e is JavaScriptException or ValueTooLargeException)
                {
                    var why = e is JavaScriptException js ? entity.MessageOf(js.Error) : $"they are {e.Message}";
                    return entity.Rejected(entity.Engine.Construct(entity.Engine.Intrinsics.TypeError, [$"{instance}.{fn}: arguments must be JSON: {why}"]));
                }
                var (promise, resolve, reject) = entity.NewPromise();
                var runtime = entity.Session.Calls;
                entity.StartOperation(ct => runtime.CallModuleAsync(instance, fn, argsJson, fresh, ct), task =>
                {
                    var result = task.IsCompletedSuccessfully
                        ? task.Result
                        : ModuleCallResult.Failure($"{instance}.{fn} could not run ({task.Exception?.GetBaseException().Message ?? "canceled"})");
                    if (result.Ok)
                    {
                        var value = entity.FromJson(result.ValueJson);
                        function.FastSetDataProperty("data", value);
                        resolve(value);
                    }
                    else
                    {
                        function.FastSetDataProperty("data", JsValue.Undefined);
                        reject(entity.NewError(result.Error ?? $"{instance}.{fn} failed"));
                    }
                });
                return promise;
            }
            function = entity.Function(fn, (_, args) =>
            {
                if (entity.WidgetMode)
                    throw entity.Error($"{instance}.{fn}() cannot run from a widget binding; bind it to an event such as a button's onClick");
                return Call(args, fresh: false);
            });
            function.FastSetDataProperty("data", entity.NewObject());
            proxy.FastSetDataProperty(fn, function);
            calls[fn] = Call;
        }
        entity.Freeze(proxy);
        return proxy;
    }
}
