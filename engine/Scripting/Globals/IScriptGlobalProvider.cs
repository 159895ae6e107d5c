using Jint.Native;
using Jint.Runtime.Descriptors;
using LowCodeTokens.Engine.Scripting.Jint;

namespace LowCodeTokens.Engine.Scripting.Globals;

/// <summary>
/// Adds one family of globals (store, console, timers, …) to the engines of every session. Registered in DI; applied in
/// registration order, before any user code runs.
/// </summary>
internal interface IScriptGlobalProvider
{
    /// <summary>
    /// Globals every engine has. They are registered once on the options all engines share and made in an engine the first
    /// time a script there reads them, so an engine pays only for the globals its code uses.
    /// </summary>
    IEnumerable<ScriptGlobal> Shared => [];

    /// <summary>Work that depends on the entity (its queries, the page's module instances) or must happen before any code runs.</summary>
    void Install(ScriptEntity entity)
    {
    }
}

/// <summary>A global made on first read: <see cref="Create"/> receives the entity whose engine read it.</summary>
internal sealed record ScriptGlobal(string Name, Func<ScriptEntity, JsValue> Create, PropertyFlag Flags = PropertyFlag.ConfigurableEnumerableWritable);
