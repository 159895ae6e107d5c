using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>
/// Calls a module instance's function in one (app, scope) outside any page: what the host does for a signed-in user
/// (hand over the sign-in's tokens, ask whether they still work, take them back at sign-out). The call has the same store,
/// single flight and persistence as one made from a page; its result goes to the host only, unredacted.
/// </summary>
public interface IModuleCalls
{
    /// <exception cref="AppNotFoundException">No such app.</exception>
    Task<ModuleCallResult> CallAsync(string app, string scope, string instance, string function, string argsJson, CancellationToken ct = default);
}
