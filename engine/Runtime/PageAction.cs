namespace LowCodeTokens.Engine.Runtime;

public enum PageActionKind { Query, Function }

/// <summary>
/// Something a page load can run: a page query (<c>getusers_API</c>), a JS object function (<c>JSObject1.onPageLoad</c>)
/// or a module function (<c>Auth_Module.getAccessToken</c>).
/// </summary>
public sealed record PageAction(string Name, PageActionKind Kind)
{
    /// <summary>The path invoked in the page context: <c>[Q, "run"]</c> or <c>[Object, fn]</c>.</summary>
    public IReadOnlyList<string> Path => Kind == PageActionKind.Query ? [Name, "run"] : Name.Split('.');
}
