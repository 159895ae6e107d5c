using Jint;
using Jint.Native;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using LowCodeTokens.Engine.Scripting.Jint;

namespace LowCodeTokens.Engine.Scripting.Globals;

/// <summary>
/// <c>storeValue</c>, <c>removeValue</c>, <c>clearStore</c> and <c>appsmith.store</c> (SPEC §2) over the session's
/// <see cref="SessionStore"/>: a write is visible at once, in every entity of the session, awaited or not.
/// </summary>
internal sealed class StoreGlobals : IScriptGlobalProvider
{
    public IEnumerable<ScriptGlobal> Shared =>
    [
        new("storeValue", StoreValue),
        new("removeValue", entity => entity.Function("removeValue", (_, args) =>
        {
            entity.Session.Store.Remove(Key(entity, "removeValue", args));
            return entity.Resolved(entity.NewObject());
        }, 1)),
        new("clearStore", entity => entity.Function("clearStore", (_, _) =>
        {
            entity.Session.Store.Clear();
            return entity.Resolved(entity.NewObject());
        })),
        new("appsmith", Appsmith),
    ];

    private static JsValue StoreValue(ScriptEntity entity)
    {
        var store = entity.Session.Store;
        var engine = entity.Engine;
        return entity.Function("storeValue", (_, args) =>
        {
            var key = Key(entity, "storeValue", args);
            var value = args.Length > 1 ? args[1] : JsValue.Undefined;
            // Serializing stops at the smaller limit, so that an oversized value is never built in full.
            var storeLimit = store.MaxValueBytes <= entity.Limits.Options.MaxValueBytes;
            string? json;
            try
            {
                json = JsonBridge.ToJson(engine, value, storeLimit ? store.MaxValueBytes : entity.Limits.Options.MaxValueBytes);
            }
            catch (JavaScriptException e)
            {
                throw entity.TypeError($"storeValue('{key}'): the value is not JSON-serializable: {entity.MessageOf(e.Error)}");
            }
            catch (ValueTooLargeException) when (storeLimit)
            {
                throw entity.RangeError($"storeValue('{key}'): the value is larger than the {ValueTooLargeException.FormatSize(store.MaxValueBytes)} a store value may hold (LowCodeTokens:Store:MaxValueBytes); nothing was stored");
            }
            catch (ValueTooLargeException e)
            {
                throw entity.RangeError($"storeValue('{key}'): the value is {e.Message}");
            }
            var persist = args.Length < 3 || !args[2].Equals(JsBoolean.False);
            if (!store.TrySet(key, json, persist, out var refusal))
                throw entity.RangeError($"storeValue('{key}'): {refusal}; nothing was stored");
            return entity.Resolved(entity.NewObject());
        }, 2);
    }

    private static JsValue Appsmith(ScriptEntity entity)
    {
        var store = entity.Session.Store;
        var engine = entity.Engine;
        // appsmith.store: a frozen plain object of the current values, rebuilt only when the store changed.
        long cachedVersion = -1;
        JsValue cached = JsValue.Undefined;
        var appsmith = entity.NewObject();
        appsmith.FastSetProperty("store", new GetSetPropertyDescriptor(entity.Function("store", (_, _) =>
        {
            var (version, values) = store.Read();
            if (version == cachedVersion) return cached;
            var obj = entity.NewObject();
            foreach (var (k, json) in values) obj.FastSetDataProperty(k, entity.FromJson(json));
            cached = entity.Freeze(obj);
            cachedVersion = version;
            return cached;
        }), JsValue.Undefined, enumerable: true, configurable: false));
        return appsmith;
    }

    private static string Key(ScriptEntity entity, string function, JsValue[] args)
    {
        if (args.Length == 0 || args[0] is not JsString s || s.Length == 0)
            throw entity.TypeError($"{function}(key, ...): key must be a non-empty string");
        return s.ToString();
    }
}
