using LowCodeTokens.Engine.Definitions;

namespace LowCodeTokens.Engine.Bindings;

/// <summary>The bindings a query needs evaluated before it runs.</summary>
public static class QueryBindings
{
    /// <summary>
    /// The ordered bindings of <paramref name="query"/> (and of <paramref name="datasource"/>'s headers that the
    /// query does not override): url, each header, each query param, the body in document order, then datasource
    /// headers. Evaluate them in this order and pass the values to <see cref="QueryRequestBuilder.Build"/>.
    /// </summary>
    /// <remarks>Parsed once per definition instance and cached; cheap to call on every run.</remarks>
    /// <exception cref="TemplateSyntaxException">A template of the query is malformed (<see cref="TemplateSyntaxException.FieldPath"/> says which).</exception>
    public static IReadOnlyList<QueryBinding> For(QueryDefinition query, DatasourceDefinition? datasource = null) =>
        QueryPlanCache.Get(query, datasource).Bindings;
}
