namespace LowCodeTokens.Tests.Infrastructure;

/// <summary>
/// Tests that assert wall-clock bounds (a time limit + 0.5 s) run alone, after the parallel ones: on 2 cores a browser or a
/// second host running beside them would measure the machine, not the engine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "timing";
}
