namespace LowCodeTokens.Engine.Runtime;

/// <summary>Loads pages and runs actions in their sessions.</summary>
public interface IPageRuntime
{
    /// <summary>Opens a session for <paramref name="scope"/> and runs the page's page-load actions in layers.</summary>
    /// <exception cref="AppNotFoundException">No such app or page.</exception>
    /// <exception cref="TooManySessionsException">The app has its cap of sessions open and none may be closed for this one.</exception>
    Task<PageLoadResult> LoadPageAsync(string app, string page, string scope, CancellationToken ct = default);

    /// <summary>Runs <paramref name="action"/> (<c>Auth_Module.getAccessToken</c>, <c>JSObject1.fn</c>, <c>getusers_API</c>, <c>Button1.onClick</c>) in a session. Null when the session is unknown or expired.</summary>
    Task<RunResult?> RunAsync(string app, string sessionId, string action, string argsJson, CancellationToken ct = default);
}

/// <summary>The app, page or action named by a request does not exist.</summary>
public sealed class AppNotFoundException(string message) : Exception(message);
