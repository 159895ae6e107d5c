using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using LowCodeTokens.Engine.Scripting.Jint;

namespace LowCodeTokens.Engine.Scripting.Globals;

/// <summary>
/// Takes out what token code does not need and the limits cannot bound, and size-checks the string builders that
/// allocate their whole result in one call. Installed first.
/// </summary>
internal sealed class SandboxGlobals : IScriptGlobalProvider
{
    // Binary buffers are allocated in one call before any check runs (a 2 GB ArrayBuffer at once); shared memory and
    // Atomics serve other agents; GC-driven callbacks (FinalizationRegistry) would run whenever a later call drives the engine;
    // a ShadowRealm is a second global scope to keep sandboxed.
    private static readonly string[] Removed =
    [
        "SharedArrayBuffer", "Atomics", "ArrayBuffer", "DataView", "Int8Array", "Uint8Array", "Uint8ClampedArray",
        "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float16Array", "Float32Array", "Float64Array",
        "BigInt64Array", "BigUint64Array", "FinalizationRegistry", "WeakRef", "ShadowRealm",
    ];

    // Shadowed rather than deleted: a deletion turns the engine's global object from its shared shape into a dictionary of
    // its own (measured: 7 KB more per engine), while a global registered on the shared options under the same name
    // replaces the built-in at no cost. Read-only and undefined, so scripts can neither use nor restore them.
    public IEnumerable<ScriptGlobal> Shared => Removed.Select(name => new ScriptGlobal(name, static _ => JsValue.Undefined, PropertyFlag.None));

    public void Install(ScriptEntity entity)
    {
        var proto = (ObjectInstance)entity.Engine.Global.Get("String").Get("prototype");
        var max = entity.Limits.MaxStringLength;
        Guard(entity, proto, "repeat", 1, (s, args) => s.Length * Math.Max(0, TypeConverter.ToIntegerOrInfinity(Arg(args, 0))), max);
        Guard(entity, proto, "padStart", 2, (_, args) => TypeConverter.ToIntegerOrInfinity(Arg(args, 0)), max);
        Guard(entity, proto, "padEnd", 2, (_, args) => TypeConverter.ToIntegerOrInfinity(Arg(args, 0)), max);
    }

    private static JsValue Arg(JsValue[] args, int i) => args.Length > i ? args[i] : JsValue.Undefined;

    private static void Guard(ScriptEntity entity, ObjectInstance proto, string name, int length, Func<string, JsValue[], double> resultLength, long max)
    {
        var original = proto.Get(name);
        var guarded = entity.Function(name, (thisObj, args) =>
        {
            // null/undefined: the original throws the standard TypeError.
            if ((thisObj.IsNull() || thisObj.IsUndefined())) return entity.Engine.Call(original, thisObj, args);
            var s = TypeConverter.ToString(thisObj);
            var size = resultLength(s, args);
            if (size > max)
                throw entity.RangeError($"String.prototype.{name}: the result would be {size:0} characters, more than the {max:N0} scripts may build at once");
            return entity.Engine.Call(original, s, args);
        }, length);
        proto.FastSetProperty(name, new PropertyDescriptor(guarded, PropertyFlag.NonEnumerable));
    }
}
