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

    /// <summary>
    /// A SemVer 2.0.0 version, strictly: no leading zeros in numbers or numeric pre-release identifiers, no empty identifiers.
    /// Build metadata (<c>+…</c>) is refused: two versions differing only by it would have the same precedence.
    /// </summary>
    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*)?$")]
    public static partial Regex SemVer();

    /// <summary><c>Auth@1</c>, <c>Auth@1.2</c> or <c>Auth@1.2.3</c> (numbers without leading zeros, as in <see cref="SemVer"/>).</summary>
    [GeneratedRegex(@"^(?<name>[A-Za-z0-9][A-Za-z0-9_.-]*)@(?<spec>(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)){0,2}(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)$")]
    public static partial Regex ModuleReference();

    public const int MaxScopeLength = 200;

    /// <summary>
    /// Why <paramref name="scope"/> cannot name a store scope, or null when it can: 1–200 characters, none of them a control
    /// character (NUL, CR, LF, …), a format character (bidi overrides, zero-width joiners) or half of a surrogate pair — they
    /// would forge log lines, hide a scope's real name in an admin view or make two scopes look alike.
    /// </summary>
    public static string? ScopeProblem(string scope)
    {
        if (scope.Length is < 1 or > MaxScopeLength)
            return $"'scope' must be 1 to {MaxScopeLength} characters; leave it out for the shared scope 'app'.";
        for (int i = 0, read; i < scope.Length; i += read)
        {
            if (System.Text.Rune.DecodeFromUtf16(scope.AsSpan(i), out var rune, out read) != System.Buffers.OperationStatus.Done)
                return $"'scope' may not contain a lone surrogate U+{(int)scope[i]:X4} (at {i}).";
            var category = System.Text.Rune.GetUnicodeCategory(rune);
            if (category is System.Globalization.UnicodeCategory.Control)
                return $"'scope' may not contain the control character U+{rune.Value:X4} (at {i}).";
            if (category is System.Globalization.UnicodeCategory.Format)
                return $"'scope' may not contain the invisible format character U+{rune.Value:X4} (at {i}).";
        }
        return null;
    }
}
