using System.Runtime.CompilerServices;
using LowCodeTokens.Engine.Definitions;

namespace LowCodeTokens.Engine.Bindings;

/// <summary>
/// One <see cref="QueryPlan"/> per (query, datasource) definition instance, kept as long as the definitions live.
/// </summary>
/// <remarks>
/// Keyed by reference: definitions are immutable once loaded (a re-imported app gets new instances, hence new plans).
/// Mutating a definition's dictionaries after its first run is not supported.
/// </remarks>
internal static class QueryPlanCache
{
    private static readonly ConditionalWeakTable<QueryDefinition, Entry> Plans = new();

    public static QueryPlan Get(QueryDefinition query, DatasourceDefinition? datasource)
    {
        ArgumentNullException.ThrowIfNull(query);
        var entry = Plans.GetValue(query, static _ => new Entry());
        if (datasource is null)
            return entry.WithoutDatasource ??= QueryPlan.Create(query, null);
        return entry.ByDatasource.GetValue(datasource, ds => QueryPlan.Create(query, ds));
    }

    private sealed class Entry
    {
        public QueryPlan? WithoutDatasource;
        public readonly ConditionalWeakTable<DatasourceDefinition, QueryPlan> ByDatasource = new();
    }
}
