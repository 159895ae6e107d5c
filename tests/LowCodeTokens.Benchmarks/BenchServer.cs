using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LowCodeTokens.Benchmarks;

/// <summary>
/// Kestrel on 127.0.0.1: <c>POST /token</c> (form; client_credentials and refresh_token; unsigned JWT, 1 h
/// <c>expires_in</c>, optional delay) and <c>GET /api/users</c> (200 with a small JSON body for any
/// <c>JWT</c>/<c>Bearer</c> Authorization header, else 401). Counts requests per grant.
/// </summary>
public sealed class BenchServer : IAsyncDisposable
{
    private static readonly byte[] Users = Encoding.UTF8.GetBytes(
        """{"results":[{"id":1,"name":"Ada Lovelace","email":"ada@example.com"},{"id":2,"name":"Alan Turing","email":"alan@example.com"},{"id":3,"name":"Grace Hopper","email":"grace@example.com"}]}""");
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _grants = new();
    private int _serial, _apiCalls;

    private BenchServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public string HostPort => new Uri(BaseUrl).Authority;
    public string UsersUrl => BaseUrl + "/api/users";

    /// <summary>A client for direct GETs of the users API, which answers 401 without a JWT or Bearer header: any static one will do.</summary>
    public static HttpClient DirectClient()
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "JWT static-benchmark-token");
        return http;
    }
    public TimeSpan TokenDelay { get; set; }
    public int ApiCalls => Volatile.Read(ref _apiCalls);
    public int Grants(string grant) => _grants.GetValueOrDefault(grant);
    public void ResetCounters() { _grants.Clear(); Interlocked.Exchange(ref _apiCalls, 0); }

    public static async Task<BenchServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new BenchServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Urls.First().TrimEnd('/');
        return server;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        if (ctx.Request.Method == "POST" && ctx.Request.Path == "/token")
        {
            var form = await ctx.Request.ReadFormAsync();
            var grant = form["grant_type"].ToString();
            _grants.AddOrUpdate(grant, 1, (_, n) => n + 1);
            if (TokenDelay > TimeSpan.Zero) await Task.Delay(TokenDelay);
            var n = Interlocked.Increment(ref _serial);
            var payload = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new { sub = "bench", n, exp = DateTimeOffset.UtcNow.AddHours(10).ToUnixTimeSeconds() }))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                access_token = $"eyJhbGciOiJub25lIn0.{payload}.", token_type = "Bearer", expires_in = 3600, refresh_token = $"rt-{n}",
            }));
            return;
        }
        if (ctx.Request.Method == "GET" && ctx.Request.Path == "/api/users")
        {
            Interlocked.Increment(ref _apiCalls);
            var auth = ctx.Request.Headers.Authorization.ToString();
            if (!auth.StartsWith("JWT ", StringComparison.Ordinal) && !auth.StartsWith("Bearer ", StringComparison.Ordinal) || auth.Length < 12)
            {
                ctx.Response.StatusCode = 401;
                return;
            }
            ctx.Response.ContentType = "application/json";
            await ctx.Response.Body.WriteAsync(Users);
            return;
        }
        ctx.Response.StatusCode = 404;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
