using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Engine.Queries;

/// <summary>Sends queries with the guarded named client; every expected failure becomes a <see cref="QueryResult"/>.</summary>
/// <remarks>
/// <see cref="HttpQueryRequest.Headers"/> are sent as given; the datasource's own headers hold bindings, so the
/// caller substitutes and merges them into the request. Redirects are followed here (the handler never follows
/// them) so that every hop is checked against the query's allowed hosts (and, as it connects, the address policy), and
/// so that a hop to another origin goes without the request's headers.
/// </remarks>
internal sealed class HttpQueryExecutor(
    IHttpClientFactory httpClientFactory,
    IOptions<LowCodeEngineOptions> options,
    TimeProvider timeProvider,
    ILogger<HttpQueryExecutor> logger) : IQueryExecutor
{
    internal const int MaxRedirects = 5;
    private const int ErrorExcerptLength = 500;

    public async Task<QueryResult> ExecuteAsync(HttpQueryRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = timeProvider.GetTimestamp();

        if (!QueryUrlResolver.TryResolve(request, out var target, out var error)
            || !QueryRequestFactory.TryValidate(request, out var method, out error))
        {
            QueryLog.Rejected(logger, request.QueryName, "invalid or disallowed request");
            return Failure(error, started);
        }

        var timeout = EffectiveTimeout(request.Timeout);
        using var timeoutCts = new CancellationTokenSource(timeout, timeProvider);
        using var linkedCts = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        var host = QueryTarget.HostPort(target.Uri);
        try
        {
            return await SendAsync(request, target, method, started, linkedCts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && timeoutCts.IsCancellationRequested)
        {
            var ms = (long)timeout.TotalMilliseconds;
            QueryLog.TimedOut(logger, request.QueryName, host, ms);
            return Failure($"{request.QueryName} timed out after {ms} ms ({host}).", started);
        }
        catch (HttpRequestException ex) when (!ct.IsCancellationRequested)
        {
            return ConnectionFailure(request.QueryName, host, ex, started);
        }
    }

    private async Task<QueryResult> SendAsync(HttpQueryRequest request, QueryTarget target, HttpMethod method, long started, CancellationToken ct)
    {
        var client = httpClientFactory.CreateClient(QueriesServiceCollectionExtensions.HttpClientName);
        var uri = target.Uri;
        var withBody = true;
        var withHeaders = true;
        for (var hop = 0; ; hop++)
        {
            using var message = QueryRequestFactory.Create(request, method, uri, withBody, withHeaders);
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;

            if (IsRedirect(status) && response.Headers.TryGetValues("Location", out var locations)
                && Uri.TryCreate(uri, locations.First(), out var next))
            {
                if (!target.Allows(next))
                {
                    QueryLog.RedirectRefused(logger, request.QueryName, QueryTarget.HostPort(uri), QueryTarget.IsHttp(next) ? QueryTarget.HostPort(next) : next.Scheme);
                    return Failure($"{request.QueryName} was redirected ({status}) from {QueryTarget.HostPort(uri)} to {Describe(next)}, which is not an allowed host; the redirect was not followed.", started, status);
                }

                if (hop == MaxRedirects)
                {
                    return Failure($"{request.QueryName} was redirected more than {MaxRedirects} times; last stop {QueryTarget.HostPort(uri)}.", started, status);
                }

                // 307/308 repeat the request as is; 303 (any method) and 301/302 (POST, as browsers do) turn into a GET without body.
                if ((status == 303 && method != HttpMethod.Head) || (status is 301 or 302 && method == HttpMethod.Post))
                {
                    method = HttpMethod.Get;
                    withBody = false;
                }

                // The query's and datasource's headers (Authorization, Cookie, an API key under any name) were meant for the
                // origin the query named: once a redirect leaves it (scheme, host or port), they stay behind, for every later hop.
                if (!QueryTarget.SameOrigin(uri, next)) withHeaders = false;
                uri = next;
                continue;
            }

            return await ReadResultAsync(request.QueryName, uri, method, response, started, ct);
        }
    }

    private async Task<QueryResult> ReadResultAsync(string queryName, Uri uri, HttpMethod method, HttpResponseMessage response, long started, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var host = QueryTarget.HostPort(uri);
        var headers = QueryResponseReader.FlattenHeaders(response);
        var maxBytes = options.Value.Queries.MaxResponseBytes;
        var body = await QueryResponseReader.ReadAsync(response.Content, maxBytes, ct);
        var elapsed = timeProvider.GetElapsedTime(started);
        if (body.TooLarge)
        {
            QueryLog.TooLarge(logger, queryName, host, maxBytes);
            return new QueryResult
            {
                StatusCode = status, Headers = headers, Duration = elapsed,
                Error = $"{queryName}: the response body from {host} is larger than the {maxBytes}-byte limit.",
            };
        }

        QueryLog.Completed(logger, queryName, method.Method, host, status, elapsed.TotalMilliseconds);
        var success = response.IsSuccessStatusCode;
        return new QueryResult
        {
            StatusCode = status,
            IsExecutionSuccess = success,
            Headers = headers,
            DataJson = body.DataJson,
            Duration = elapsed,
            Error = success ? null : StatusError(queryName, status, body.Text),
        };
    }

    private QueryResult ConnectionFailure(string queryName, string host, HttpRequestException ex, long started)
    {
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case QueryAddressRefusedException refused:
                    QueryLog.AddressRefused(logger, queryName, refused.Host, refused.Address.ToString(), refused.Reason);
                    return Failure($"{queryName} refused: {refused.Message} No request was sent.", started);
                case SocketException socket:
                    QueryLog.Unreachable(logger, queryName, host, socket.SocketErrorCode.ToString());
                    return Failure($"{queryName} could not connect to {host}: {Describe(socket.SocketErrorCode)}.", started);
            }
        }

        QueryLog.Unreachable(logger, queryName, host, ex.HttpRequestError.ToString());
        return Failure($"{queryName} failed to reach {host}: {ex.Message}", started);
    }

    private TimeSpan EffectiveTimeout(TimeSpan? requested)
    {
        var queries = options.Value.Queries;
        var timeout = requested is { } t && t > TimeSpan.Zero ? t : queries.DefaultTimeout;
        return timeout > queries.MaxTimeout ? queries.MaxTimeout : timeout;
    }

    private QueryResult Failure(string error, long started, int statusCode = 0) => new()
    {
        StatusCode = statusCode,
        IsExecutionSuccess = false,
        DataJson = "null",
        Error = error,
        Duration = timeProvider.GetElapsedTime(started),
    };

    private static string StatusError(string queryName, int status, string body)
    {
        var text = body.Trim();
        if (text.Length == 0) return $"{queryName} failed with status {status}.";
        return text.Length <= ErrorExcerptLength
            ? $"{queryName} failed with status {status}: {text}"
            : $"{queryName} failed with status {status}: {text[..ErrorExcerptLength]}…";
    }

    private static bool IsRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    private static string Describe(Uri uri) => QueryTarget.IsHttp(uri) ? QueryTarget.HostPort(uri) : $"a {uri.Scheme}: URL";

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData => "host not found",
        SocketError.TimedOut => "connect timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "unreachable",
        _ => error.ToString(),
    };
}
