namespace LowCodeTokens.Engine.Queries;

/// <summary>Sends a query over HTTP. Expected failures (refused host, timeout, non-2xx) are results, not exceptions.</summary>
public interface IQueryExecutor
{
    Task<QueryResult> ExecuteAsync(HttpQueryRequest request, CancellationToken ct = default);
}
