namespace LowCodeTokens.Engine.Scripting.Analysis;

/// <summary>
/// A module's analysis and, when it is valid, the script that builds its default-exported object.
/// </summary>
/// <param name="Analysis">The members of <c>export default { ... }</c>, or the error that rejects the module.</param>
/// <param name="FactorySource">
/// A JavaScript script (not a module) whose evaluation yields a function; calling that function with <c>this</c> bound
/// to an object runs the module's top-level code and returns the default-exported object, so arrow-function members
/// see that object as <c>this</c>. Line numbers in it equal those of the original code; columns on line 1 are shifted
/// right by the length of the wrapper's prefix (<see cref="ModuleFactory.Prefix"/>). Null when
/// <see cref="ModuleAnalysis.Error"/> is set.
/// </param>
/// <param name="HoldsNoState">The module keeps no state of its own between calls (<see cref="StateAnalysis"/>).</param>
internal sealed record AnalyzedModule(ModuleAnalysis Analysis, string? FactorySource, bool HoldsNoState = false);
