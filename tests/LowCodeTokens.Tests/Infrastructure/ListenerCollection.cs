namespace LowCodeTokens.Tests.Infrastructure;

/// <summary>
/// Tests whose assertions depend on who listens to activities run alone, after the parallel ones: activity listeners are
/// process-wide, so while another test's host has tracing on (<c>PageLoadTraceTests</c>) it samples every host's requests — an
/// assertion that nobody listens fails, and a parent-based sampler follows that foreign decision.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ListenerCollection
{
    public const string Name = "activity listeners";
}
