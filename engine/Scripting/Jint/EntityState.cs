using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace LowCodeTokens.Engine.Scripting.Jint;

/// <summary>
/// What an idle entity whose code keeps no state of its own (<see cref="Analysis.StateAnalysis"/>) still holds, as JSON:
/// its queries' data and response metadata, the <c>fn.data</c> of its functions, its widgets' values. The session keeps
/// this instead of the engine and puts it back into a new engine on the next call (measured: an idle session then holds
/// a few KB instead of two engines, and page loads stop promoting engines into the old GC generation).
/// </summary>
internal sealed class EntityState
{
    private readonly List<(string Query, string? Data, string? Meta)> _queries = [];
    private readonly List<(string Owner, string Function, string? Data)> _functionData = [];
    private readonly List<(string Widget, string Property, string? Value)> _widgets = [];

    /// <summary>The entity's state, or null when some of it does not survive JSON (a function kept in fn.data, a cycle).</summary>
    public static EntityState? Capture(ScriptEntity entity)
    {
        var state = new EntityState();
        var max = entity.Limits.Options.MaxValueBytes;
        try
        {
            foreach (var (name, query) in entity.QueryObjects)
                state._queries.Add((name, Json(entity, query.Get("data"), max), Json(entity, query.Get("responseMeta"), max)));
            foreach (var (owner, obj) in entity.FunctionObjects)
                foreach (var (key, descriptor) in obj.GetOwnProperties())
                {
                    if (!key.IsString() || descriptor.Value is not ObjectInstance fn || !fn.IsCallable()) continue;
                    var data = fn.Get("data");
                    if (data.IsCallable()) return null;
                    state._functionData.Add((owner, key.AsString(), Json(entity, data, max)));
                }
            foreach (var (name, widget) in entity.WidgetObjects)
                foreach (var (key, descriptor) in widget.GetOwnProperties())
                {
                    if (!key.IsString() || key.AsString() is "widgetName" or "type") continue;
                    if (descriptor.Value.IsCallable()) return null;
                    state._widgets.Add((name, key.AsString(), Json(entity, descriptor.Value, max)));
                }
        }
        catch (Exception e) when (e is JavaScriptException or ValueTooLargeException)
        {
            return null;
        }
        return state;
    }

    private static string? Json(ScriptEntity entity, JsValue value, int max) => JsonBridge.ToJson(entity.Engine, value, max);

    /// <summary>Puts the state back into a new engine of the same entity (inside a drive step).</summary>
    public void Restore(ScriptEntity entity)
    {
        var global = entity.Engine.Global;
        foreach (var (name, data, meta) in _queries)
        {
            if (global.Get(name) is not ObjectInstance query) continue;
            query.FastSetDataProperty("data", entity.FromJson(data));
            if (meta is not null) query.FastSetDataProperty("responseMeta", entity.FromJson(meta));
        }
        foreach (var (owner, function, data) in _functionData)
        {
            if (global.Get(owner) is ObjectInstance obj && obj.Get(function) is ObjectInstance fn)
                fn.FastSetDataProperty("data", entity.FromJson(data));
        }
        foreach (var (name, property, value) in _widgets)
        {
            if (global.Get(name) is ObjectInstance widget) widget.FastSetDataProperty(property, entity.FromJson(value));
        }
    }
}
