namespace LowCodeTokens.Host.Http;

/// <summary>
/// Headers every response carries, whichever route, status page or exception handler wrote it: no content sniffing, never
/// framed, no referrer. A response that sets its own Content-Security-Policy (the viewer's page) keeps it; every other one
/// gets <c>default-src 'none'; frame-ancestors 'none'</c>, as JSON, problem details and scripts load nothing themselves.
/// </summary>
/// <remarks>
/// Written when the response starts rather than on the way in: the exception handler clears the headers of a failed
/// response before writing its problem, and a header set earlier would be gone from exactly the error responses.
/// </remarks>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string DefaultContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (headers.ContentSecurityPolicy.Count == 0)
                headers.ContentSecurityPolicy = DefaultContentSecurityPolicy;
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
