namespace LowCodeTokens.Engine.Scripting;

/// <summary>What the parser found: the module's members (or its syntax error) and, per expression, its references or error.</summary>
public sealed record ScriptAnalysis(ModuleAnalysis? Module, IReadOnlyList<ExpressionAnalysis> Expressions);

public sealed record ModuleAnalysis(IReadOnlyList<ModuleMember> Members, SourceError? Error);

/// <summary>A member of <c>export default { ... }</c>; <see cref="References"/> lists the member chains a function reads, e.g. <c>["getusers_API","data"]</c>.</summary>
public sealed record ModuleMember(string Name, bool IsFunction, bool IsAsync, IReadOnlyList<IReadOnlyList<string>> References);

/// <summary>A binding's references (or its error), and whether it can change state (an assignment, update, delete or mutating built-in call).</summary>
public sealed record ExpressionAnalysis(IReadOnlyList<IReadOnlyList<string>> References, SourceError? Error, bool Mutates = false);

/// <summary>A syntax or validation error at a 1-based line and column.</summary>
public sealed record SourceError(string Message, int Line, int Column);
