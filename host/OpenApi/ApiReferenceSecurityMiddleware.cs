using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace LowCodeTokens.Host.OpenApi;

/// <summary>
/// The Content-Security-Policy of the API reference page: scripts from this host, plus the page's own inline boot script
/// by its SHA-256 hash (computed from the page as served, so a new Scalar version needs no edit here), never any inline
/// script; requests to this host only; never framed. Scalar styles its components inline, which <c>style-src</c> allows.
/// </summary>
internal sealed partial class ApiReferenceSecurityMiddleware(RequestDelegate next)
{
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)</script>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    public static string Policy(IEnumerable<string> scriptHashes) =>
        $"default-src 'none'; script-src 'self'{string.Concat(scriptHashes.Select(h => $" 'sha256-{h}'"))}; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments(ApiReference.Path))
        {
            await next(context);
            return;
        }
        // Its scripts and icons (scalar.js is 5 MB) go through as they are; only the page itself is read for its inline script.
        if (Path.HasExtension(path.Value))
        {
            context.Response.Headers.ContentSecurityPolicy = Policy([]);
            await next(context);
            return;
        }

        var original = context.Response.Body;
        using var page = new MemoryStream();
        context.Response.Body = page;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        var html = Encoding.UTF8.GetString(page.GetBuffer(), 0, (int)page.Length);
        context.Response.Headers.ContentSecurityPolicy = Policy(InlineScript().Matches(html)
            .Select(m => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))));
        if (page.Length > 0) context.Response.ContentLength = page.Length;
        page.Position = 0;
        await page.CopyToAsync(original, context.RequestAborted);
    }
}
