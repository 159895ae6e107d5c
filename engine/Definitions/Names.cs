using System.Text.RegularExpressions;

namespace LowCodeTokens.Engine.Definitions;

/// <summary>Rules for names that become script globals or URL segments.</summary>
public static partial class Names
{
    /// <summary>Globals every context has; an entity may not take these names.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "appsmith", "storeValue", "removeValue", "clearStore", "console", "atob", "btoa", "jwt", "tokens", "setTimeout",
        "clearTimeout", "inputs", "this", "globalThis", "Object", "Function", "Promise", "JSON", "Math", "Date", "Intl",
        "Array", "String", "Number", "Boolean", "Error", "eval", "undefined", "null", "true", "false", "Reflect", "Proxy",
    };

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]{0,99}$")]
    public static partial Regex Identifier();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]
    public static partial Regex UrlName();

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")]
    public static partial Regex SemVer();

    /// <summary><c>Auth@1</c>, <c>Auth@1.2</c> or <c>Auth@1.2.3</c>.</summary>
    [GeneratedRegex(@"^(?<name>[A-Za-z0-9][A-Za-z0-9_.-]*)@(?<spec>\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?)$")]
    public static partial Regex ModuleReference();
}
