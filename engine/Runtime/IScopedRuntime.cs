using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>
/// What the host does for a signed-in end user, whose scope is fixed by their sign-in: call a module instance's function
/// in that scope outside any page (hand over the sign-in's tokens, ask whether they still work, take them back at sign-out),
/// and run actions only in sessions of that scope.
/// </summary>
public interface IScopedRuntime
{
    /// <summary>
    /// Calls <paramref name="instance"/>.<paramref name="function"/> in (<paramref name="app"/>, <paramref name="scope"/>) with the
    /// same store, single flight and persistence as a call from a page; the result goes to the host only, unredacted.
    /// </summary>
    /// <exception cref="AppNotFoundException">No such app.</exception>
    Task<ModuleCallResult> CallModuleAsync(string app, string scope, string instance, string function, string argsJson, CancellationToken ct = default);

    /// <summary>As <see cref="IPageRuntime.RunAsync"/>, but a session of another scope is as unknown as an expired one (null).</summary>
    Task<RunResult?> RunAsync(string app, string scope, string sessionId, string action, string argsJson, CancellationToken ct = default);
}
