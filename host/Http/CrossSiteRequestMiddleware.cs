namespace LowCodeTokens.Host.Http;

/// <summary>
/// Refuses state-changing requests (anything but GET, HEAD, OPTIONS, TRACE) that a browser says come from another site or
/// origin, with 403 before any key or cookie is looked at. The viewer's cookie is SameSite=Strict, but a page on another
/// port of the same host is the same <em>site</em>, so the cookie alone does not stop it (probed in Chromium).
/// </summary>
/// <remarks>
/// <c>Sec-Fetch-Site</c> is set by the browser and cannot be set by a page; when it is present it decides (<c>same-origin</c>
/// and <c>none</c>, a user's own navigation, pass). Older browsers send only <c>Origin</c>, which must then be this host's
/// scheme, host and port. A request with neither header comes from no browser (a server with an <c>X-Api-Key</c>, curl)
/// and is not a cross-site request forgery: it passes.
/// </remarks>
internal sealed class CrossSiteRequestMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) ||
            HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method) || !IsCrossOrigin(request))
            return next(context);

        return TypedResults.Problem(
            "A page of another site or origin cannot call this host with the browser's credentials. Use the viewer page itself, " +
            "or call the API from a server with the X-Api-Key header.",
            statusCode: StatusCodes.Status403Forbidden, title: "Cross-origin request refused.").ExecuteAsync(context);
    }

    /// <summary>True when a browser marks <paramref name="request"/> as sent by a page of another origin.</summary>
    public static bool IsCrossOrigin(HttpRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"] is { Count: > 0 } site)
            return site.ToString() is not ("same-origin" or "none");
        if (request.Headers.Origin is not { Count: > 0 } origin)
            return false;
        return !IsOwnOrigin(origin.ToString(), request);
    }

    // "null" (an opaque origin: a sandboxed frame, a file:// page) parses as no URI and is refused with the rest.
    private static bool IsOwnOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
        string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(uri.IdnHost, request.Host.Host, StringComparison.OrdinalIgnoreCase) &&
        uri.Port == (request.Host.Port ?? (request.IsHttps ? 443 : 80));
}
