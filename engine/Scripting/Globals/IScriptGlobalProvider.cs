using LowCodeTokens.Engine.Scripting.Jint;

namespace LowCodeTokens.Engine.Scripting.Globals;

/// <summary>
/// Adds one family of globals (store, console, timers, …) to every engine a session creates, before any user code runs.
/// Registered in DI; engines install them in registration order.
/// </summary>
internal interface IScriptGlobalProvider
{
    void Install(ScriptEntity entity);
}
