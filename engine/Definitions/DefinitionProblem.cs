namespace LowCodeTokens.Engine.Definitions;

/// <summary>Where a definition is wrong: the file (<c>app.json</c>, <c>module.json</c>, <c>JSObject1.js</c>, <c>main.js</c>), the field path, and for code the 1-based line and column.</summary>
public sealed record DefinitionProblem(string File, string Path, string Message, int? Line = null, int? Column = null);
