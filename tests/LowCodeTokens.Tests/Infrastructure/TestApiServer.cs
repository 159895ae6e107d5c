using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LowCodeTokens.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with a free port, for tests that need an HTTP API to talk to.
/// Records every request (method, path, query, headers, body); handlers can be mapped before or after start.
/// </summary>
/// <example>
/// <code>
/// await using var api = await TestApiServer.StartAsync();
/// api.MapJson("GET", "/users", """[{"id":1}]""");
/// ... call api.Url("/users") ...
/// Assert.Single(api.Requests);
/// </code>
/// </example>
public sealed class TestApiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<(string Method, string Path), RequestDelegate> handlers = new();
    private readonly ConcurrentQueue<RecordedRequest> requests = new();

    private TestApiServer(WebApplication app) => this.app = app;

    /// <summary>Base address, e.g. <c>http://127.0.0.1:43121</c> (no trailing slash).</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary><c>127.0.0.1:port</c>, the form allowed-host lists use.</summary>
    public string HostPort => $"{BaseUri.Host}:{BaseUri.Port}";

    /// <summary>Requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => requests.ToArray();

    public static async Task<TestApiServer> StartAsync(CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var server = new TestApiServer(builder.Build());
        server.app.Run(server.HandleAsync);
        await server.app.StartAsync(ct);
        server.BaseUri = new Uri(server.app.Urls.First().TrimEnd('/'));
        return server;
    }

    /// <summary>An absolute URL on this server.</summary>
    public string Url(string pathAndQuery) => BaseUri.GetLeftPart(UriPartial.Authority) + pathAndQuery;

    /// <summary>Handles <paramref name="method"/> (or <c>*</c> for any) on <paramref name="path"/>; replaces an earlier mapping.</summary>
    public TestApiServer Map(string method, string path, RequestDelegate handler)
    {
        handlers[(method.ToUpperInvariant(), path)] = handler;
        return this;
    }

    public TestApiServer MapJson(string method, string path, string json, int statusCode = 200) =>
        MapContent(method, path, json, "application/json", statusCode);

    public TestApiServer MapText(string method, string path, string text, int statusCode = 200) =>
        MapContent(method, path, text, "text/plain; charset=utf-8", statusCode);

    public TestApiServer MapContent(string method, string path, string body, string contentType, int statusCode = 200) =>
        Map(method, path, async context =>
        {
            context.Response.StatusCode = statusCode;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body, context.RequestAborted);
        });

    /// <summary>Answers with <paramref name="statusCode"/> and a <c>Location</c> header.</summary>
    public TestApiServer MapRedirect(string method, string path, string location, int statusCode = 302) =>
        Map(method, path, context =>
        {
            context.Response.StatusCode = statusCode;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        });

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        requests.Enqueue(new RecordedRequest(
            request.Method,
            request.Path.Value ?? "",
            request.QueryString.Value ?? "",
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body));

        var path = request.Path.Value ?? "";
        if (handlers.TryGetValue((request.Method.ToUpperInvariant(), path), out var handler)
            || handlers.TryGetValue(("*", path), out handler))
        {
            await handler(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        await context.Response.WriteAsync($"TestApiServer: no handler for {request.Method} {path}", context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(stopTimeout.Token);
        await app.DisposeAsync();
    }
}
