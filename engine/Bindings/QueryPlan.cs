using LowCodeTokens.Engine.Definitions;

namespace LowCodeTokens.Engine.Bindings;

/// <summary>
/// A query (with its datasource's headers) parsed once: every template, and the ordered bindings that
/// <see cref="QueryRequestBuilder.Build"/> expects values for. Order: url, headers, query params, body, datasource headers.
/// </summary>
internal sealed class QueryPlan
{
    private QueryPlan() { }

    public required IReadOnlyList<QueryBinding> Bindings { get; init; }
    public required TemplateSlot Url { get; init; }
    public required IReadOnlyList<KeyValuePair<string, TemplateSlot>> Headers { get; init; }
    public required IReadOnlyList<KeyValuePair<string, TemplateSlot>> QueryParams { get; init; }
    public QueryBodyPlan? Body { get; init; }

    public static QueryPlan Create(QueryDefinition query, DatasourceDefinition? datasource)
    {
        var builder = new QueryPlanBuilder();
        var url = builder.Add("url", query.Url);
        var headers = new List<KeyValuePair<string, TemplateSlot>>();
        foreach (var (name, value) in query.Headers)
            headers.Add(new(name, builder.Add($"headers.{name}", value)));
        var queryParams = new List<KeyValuePair<string, TemplateSlot>>();
        foreach (var (name, value) in query.QueryParams)
            queryParams.Add(new(name, builder.Add($"queryParams.{name}", value)));
        var body = QueryBodyPlan.Create(query, builder);

        if (datasource is not null)
        {
            // Query headers win; an overridden datasource header is not evaluated at all, so its
            // binding cannot fail a query that does not send it.
            var own = new HashSet<string>(query.Headers.Keys, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in datasource.Headers)
                if (!own.Contains(name))
                    headers.Add(new(name, builder.Add($"datasource.headers.{name}", value)));
        }

        return new QueryPlan
        {
            Bindings = builder.Bindings.AsReadOnly(),
            Url = url,
            Headers = headers,
            QueryParams = queryParams,
            Body = body,
        };
    }
}
