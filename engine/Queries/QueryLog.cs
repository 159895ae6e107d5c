using Microsoft.Extensions.Logging;

namespace LowCodeTokens.Engine.Queries;

/// <summary>Query logs. Only the query name, method, host and status: never URLs with their query strings, header values or bodies.</summary>
internal static partial class QueryLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Query {QueryName} {Method} {Host} answered {StatusCode} in {ElapsedMs:0.0} ms")]
    public static partial void Completed(ILogger logger, string queryName, string method, string host, int statusCode, double elapsedMs);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Query {QueryName} was not sent: {Reason}")]
    public static partial void Rejected(ILogger logger, string queryName, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Query {QueryName} to {Host} refused: it resolves to {Address}, {Reason}")]
    public static partial void AddressRefused(ILogger logger, string queryName, string host, string address, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Query {QueryName} redirect from {Host} to {TargetHost} refused")]
    public static partial void RedirectRefused(ILogger logger, string queryName, string host, string targetHost);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Query {QueryName} to {Host} timed out after {TimeoutMs} ms")]
    public static partial void TimedOut(ILogger logger, string queryName, string host, long timeoutMs);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Query {QueryName} could not reach {Host}: {ErrorKind}")]
    public static partial void Unreachable(ILogger logger, string queryName, string host, string errorKind);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Query {QueryName} to {Host}: response body over the {MaxBytes}-byte limit")]
    public static partial void TooLarge(ILogger logger, string queryName, string host, long maxBytes);
}
