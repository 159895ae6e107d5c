namespace LowCodeTokens.Engine.Definitions.Folders;

/// <summary>A problem in a definitions folder: the file (relative to the folder, with '/'), the 1-based line and column in it, and what is wrong.</summary>
public sealed record FolderProblem(string File, int Line, int Column, string Message)
{
    /// <summary><c>path:line:column: message</c>, the form compilers print and editors and CI annotate.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
