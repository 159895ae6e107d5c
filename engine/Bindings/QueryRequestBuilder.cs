using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Queries;

namespace LowCodeTokens.Engine.Bindings;

/// <summary>Builds the request to send from a query definition and its evaluated bindings.</summary>
public static class QueryRequestBuilder
{
    /// <summary>
    /// Substitutes <paramref name="values"/> (one per binding of <see cref="QueryBindings.For"/>, same order) into the query.
    /// </summary>
    /// <remarks>
    /// Url, headers and query params render as text; the body per <c>bodyType</c> (json by default: a string body gets
    /// smart JSON substitution, an object/array body is walked; form: one text field per property; text: text; none: no
    /// body). Datasource headers are added unless the query sets the same header. A relative URL stays relative.
    /// </remarks>
    /// <exception cref="ArgumentException">The number of values does not match the query's bindings.</exception>
    public static HttpQueryRequest Build(QueryDefinition query, DatasourceDefinition? datasource, IReadOnlyList<BindingValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var plan = QueryPlanCache.Get(query, datasource);
        if (values.Count != plan.Bindings.Count)
            throw new ArgumentException(
                $"Query '{query.Name}' has {plan.Bindings.Count} binding(s) but {values.Count} value(s) were given.", nameof(values));
        ReadOnlySpan<BindingValue> all = values is BindingValue[] array ? array : values.ToArray();

        return new HttpQueryRequest
        {
            QueryName = query.Name,
            Method = string.IsNullOrWhiteSpace(query.Method) ? "GET" : query.Method.Trim().ToUpperInvariant(),
            Url = plan.Url.RenderText(all).Trim(),
            Headers = RenderAll(plan.Headers, all),
            QueryParams = RenderAll(plan.QueryParams, all),
            Body = plan.Body?.Render(all),
            Timeout = query.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            Datasource = datasource,
        };
    }

    private static KeyValuePair<string, string>[] RenderAll(
        IReadOnlyList<KeyValuePair<string, TemplateSlot>> slots, ReadOnlySpan<BindingValue> values)
    {
        var rendered = new KeyValuePair<string, string>[slots.Count];
        for (int i = 0; i < rendered.Length; i++)
            rendered[i] = new(slots[i].Key, slots[i].Value.RenderText(values));
        return rendered;
    }
}
