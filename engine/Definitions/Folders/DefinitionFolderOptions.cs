namespace LowCodeTokens.Engine.Definitions.Folders;

/// <summary>Configuration section <c>LowCodeTokens:Definitions</c>: a folder of module and app definitions the host applies at start-up.</summary>
public sealed class DefinitionFolderOptions
{
    public const string Section = "LowCodeTokens:Definitions";

    /// <summary>The folder (<c>modules/&lt;name&gt;/module.json</c>, <c>apps/&lt;app&gt;.json</c>); relative to the content root. Empty: none.</summary>
    public string? Path { get; set; }

    /// <summary>Re-validate and re-apply the folder when a file in it changes.</summary>
    public bool Watch { get; set; }

    /// <summary>How long the folder must stay unchanged before a change is applied (an editor or <c>git checkout</c> writes several files).</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Values for <c>${NAME}</c> in the folder's JSON files (<c>LowCodeTokens:Definitions:Variables:NAME</c>): addresses per environment, and secrets kept out of git.</summary>
    public Dictionary<string, string> Variables { get; set; } = new(StringComparer.Ordinal);
}
