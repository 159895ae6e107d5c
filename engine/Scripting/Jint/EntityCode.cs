using Jint;
using System.Text;
using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;
using LowCodeTokens.Engine.Scripting.Globals;

namespace LowCodeTokens.Engine.Scripting.Jint;

/// <summary>
/// What an entity's engine holds and how the driver calls into it: the globals from the providers, the module's
/// inputs or the page's widgets, the exported objects (whose functions record <c>fn.data</c>), calls by path, action
/// bindings and widget evaluation. Every member runs inside a drive step.
/// </summary>
internal static class EntityCode
{
    public static void Build(ScriptEntity entity, IReadOnlyList<IScriptGlobalProvider> providers, PreparedCode prepared, ScriptModuleSpec? module)
    {
        foreach (var provider in providers) provider.Install(entity);
        var engine = entity.Engine;
        // What the entity's code defines is made when first read: a page load touches only what it runs.
        if (module is not null)
        {
            entity.SetLazyGlobal("inputs", () => entity.Freeze(entity.FromJson(module.InputsJson)));
            entity.SetLazyGlobal(module.Name, () => entity.FunctionObjects[module.Name] = Load(entity, module.Main, prepared));
            return;
        }
        foreach (var widget in entity.Session.Spec.Page.Widgets)
        {
            entity.SetLazyGlobal(widget.Name, () =>
            {
                var w = entity.NewObject();
                w.FastSetDataProperty("widgetName", widget.Name);
                w.FastSetDataProperty("type", widget.Type);
                return entity.WidgetObjects[widget.Name] = w;
            });
        }
        foreach (var code in entity.Session.Spec.Page.JsObjects)
            entity.SetLazyGlobal(code.Name, () => entity.FunctionObjects[code.Name] = Load(entity, code, prepared));
    }

    // The factory runs the code's top level with `this` = the object it exports, so arrow-function members see the object.
    private static ObjectInstance Load(ScriptEntity entity, ScriptCodeSpec code, PreparedCode prepared)
    {
        var engine = entity.Engine;
        var self = entity.NewObject();
        var factory = engine.Evaluate(prepared.Factory(code));
        var made = engine.Call(factory, self, []);
        if (made is not ObjectInstance exported) throw entity.TypeError($"{code.File}: export default must be an object");
        foreach (var (key, descriptor) in exported.GetOwnProperties().ToList()) self.DefineOwnProperty(key, descriptor);
        foreach (var (key, descriptor) in self.GetOwnProperties().ToList())
        {
            if (!descriptor.Enumerable || !key.IsString()) continue;
            var value = self.Get(key);
            if (value.IsCallable()) self.Set(key, Wrap(entity, self, key.AsString(), value));
        }
        return self;
    }

    /// <summary>The member function as apps call it: <c>this</c> is always the object, and <c>fn.data</c> is its last result.</summary>
    /// <remarks>
    /// <c>data</c> is defined directly (FastSetDataProperty): an ordinary assignment of a new property walks the prototype
    /// chain, and initializing <c>Function.prototype</c> for that was a fifth of opening a session (CPU profile).
    /// </remarks>
    private static ClrFunction Wrap(ScriptEntity entity, ObjectInstance self, string name, JsValue fn)
    {
        var engine = entity.Engine;
        ClrFunction wrapper = null!;
        wrapper = entity.Function(name, (_, args) =>
        {
            JsValue result;
            try
            {
                result = engine.Call(fn, self, args);
            }
            catch (JavaScriptException)
            {
                wrapper.FastSetDataProperty("data", JsValue.Undefined);
                throw;
            }
            if (!ScriptEntity.IsThenable(result))
            {
                wrapper.FastSetDataProperty("data", result);
                return result;
            }
            return entity.WhenSettled(result,
                v => { wrapper.FastSetDataProperty("data", v); return v; },
                e => { wrapper.FastSetDataProperty("data", JsValue.Undefined); throw new JavaScriptException(e); });
        }, (int)TypeConverter.ToNumber(fn.Get("length")));
        wrapper.FastSetDataProperty("data", entity.NewObject());
        return wrapper;
    }

    public static JsValue Call(ScriptEntity entity, IReadOnlyList<string> path, string argsJson)
    {
        var (owner, target) = entity.ResolvePath(path);
        if (!target.IsCallable()) throw entity.TypeError($"{string.Join('.', path)} is not a function");
        var args = entity.FromJson(argsJson) is JsArray array ? ToArray(array) : [];
        return entity.Engine.Call(target, owner, args);
    }

    public static JsValue RunExpression(ScriptEntity entity, global::Jint.Prepared<Acornima.Ast.Script> expression)
    {
        var fns = entity.Engine.Evaluate(expression);
        return entity.Engine.Call(fns.Get(0), BindingScope(entity), []);
    }

    /// <summary><c>this</c> of a binding: <c>{ params }</c> (the run's parameters for a query, empty elsewhere).</summary>
    public static JsObject BindingScope(ScriptEntity entity, JsValue? parameters = null)
    {
        var scope = entity.NewObject();
        scope.FastSetDataProperty("params", parameters ?? entity.NewObject());
        return scope;
    }

    /// <summary>
    /// Evaluates widget properties in order; each value is assigned to its widget (so later bindings can read it) and
    /// reported as JSON, a binding that throws as that property's error.
    /// </summary>
    public static JsValue EvaluateWidgets(ScriptEntity entity, IReadOnlyList<ScriptWidgetBinding> bindings, global::Jint.Prepared<Acornima.Ast.Script> compiled)
    {
        var engine = entity.Engine;
        var fns = engine.Evaluate(compiled);
        var out_ = new JsonObject();
        var scope = BindingScope(entity);
        var next = 0;
        entity.WidgetMode = true;
        try
        {
            foreach (var binding in bindings)
            {
                var first = next;
                next += binding.Segments.Count(s => s.IsExpression);
                var widget = engine.Global.Get(binding.Widget) as ObjectInstance;
                JsonObject entry;
                try
                {
                    JsValue value;
                    if (binding.Single)
                    {
                        value = engine.Call(fns.Get(first), scope, []);
                    }
                    else
                    {
                        var text = new StringBuilder();
                        var index = first;
                        foreach (var segment in binding.Segments)
                            text.Append(segment.IsExpression ? RenderText(entity, engine.Call(fns.Get(index++), scope, [])) : segment.Text);
                        value = text.ToString();
                    }
                    widget?.Set(binding.Property, value);
                    var json = JsonBridge.ToJson(engine, value, entity.Limits.Options.MaxValueBytes);
                    entry = new JsonObject { ["ok"] = true, ["value"] = json is null ? null : JsonNode.Parse(json) };
                }
                catch (JavaScriptException e)
                {
                    widget?.Set(binding.Property, JsValue.Undefined);
                    entry = new JsonObject { ["ok"] = false, ["error"] = entity.MessageOf(e.Error) };
                }
                catch (ValueTooLargeException e)
                {
                    widget?.Set(binding.Property, JsValue.Undefined);
                    entry = new JsonObject { ["ok"] = false, ["error"] = $"the value is {e.Message}" };
                }
                if (out_[binding.Widget] is not JsonObject props) out_[binding.Widget] = props = new JsonObject();
                props[binding.Property] = entry;
            }
        }
        finally
        {
            entity.WidgetMode = false;
        }
        entity.Current.ResultJson = out_.ToJsonString();
        return JsValue.Undefined;
    }

    /// <summary>A value substituted into text: undefined as nothing, strings as themselves, anything else as JSON.</summary>
    public static string RenderText(ScriptEntity entity, JsValue value)
    {
        if (value.IsUndefined()) return "";
        if (value.IsString()) return value.AsString();
        try
        {
            return JsonBridge.ToJson(entity.Engine, value, entity.Limits.Options.MaxValueBytes) ?? "";
        }
        catch (JavaScriptException)
        {
            return TypeConverter.ToString(value);
        }
    }

    public static void Fire(ScriptEntity entity, ScriptTimer timer)
    {
        try
        {
            entity.Engine.Call(timer.Callback, JsValue.Undefined, timer.Arguments);
        }
        catch (JavaScriptException e)
        {
            timer.Owner.Log("error", $"Uncaught error in a setTimeout callback: {entity.MessageOf(e.Error)}");
        }
    }

    /// <summary>A thrown or rejected value as a script error: its name, message and stack when it is an error.</summary>
    public static ScriptError ErrorFrom(ScriptEntity entity, JsValue value)
    {
        var name = "Error";
        string? stack = null;
        if (value is ObjectInstance o)
        {
            try
            {
                if (o.Get("name") is JsString n) name = n.ToString();
                if (o.Get("stack") is JsString s) stack = s.ToString();
            }
            catch (JavaScriptException)
            {
            }
        }
        return new ScriptError(ScriptErrorKind.Script, name, entity.MessageOf(value), stack);
    }

    public static JsValue[] ToArray(JsArray array)
    {
        var length = (int)array.Length;
        var items = new JsValue[length];
        for (var i = 0; i < length; i++) items[i] = array.Get(i);
        return items;
    }
}
