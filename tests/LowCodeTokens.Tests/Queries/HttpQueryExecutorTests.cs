using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Queries;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace LowCodeTokens.Tests.Queries;

public sealed class HttpQueryExecutorTests : IAsyncLifetime
{
    private TestApiServer api = null!;
    private TestApiServer other = null!;
    private readonly Microsoft.Extensions.DependencyInjection.ServiceProvider services = QueryTestServices.Create();

    public async Task InitializeAsync()
    {
        api = await TestApiServer.StartAsync();
        other = await TestApiServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await other.DisposeAsync();
        await services.DisposeAsync();
    }

    private DatasourceDefinition Datasource(params string[] allowedHosts) =>
        new() { Name = "Api", BaseUrl = api.Url("/v1"), AllowedHosts = [.. allowedHosts] };

    private Task<QueryResult> RunAsync(HttpQueryRequest request, CancellationToken ct = default) =>
        services.Executor().ExecuteAsync(request, ct);

    [Fact]
    public async Task ExecuteAsync_GetJson_ReturnsParsedDataAndHeaders()
    {
        api.MapJson("GET", "/v1/users", """{ "users": [ { "id": 1, "name": "Ada" } ] }""");

        var result = await RunAsync(new HttpQueryRequest { QueryName = "GetUsers", Url = "/users", Datasource = Datasource() });

        Assert.Null(result.Error);
        Assert.True(result.IsExecutionSuccess);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("""{"users":[{"id":1,"name":"Ada"}]}""", result.DataJson);
        Assert.StartsWith("application/json", result.Headers["Content-Type"]);
        Assert.True(result.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task ExecuteAsync_TextResponse_ReturnsBodyAsJsonString()
    {
        api.MapText("GET", "/v1/hello", "héllo \"world\"");

        var result = await RunAsync(new HttpQueryRequest { QueryName = "Hello", Url = "hello", Datasource = Datasource() });

        Assert.True(result.IsExecutionSuccess);
        Assert.Equal("héllo \"world\"", JsonSerializer.Deserialize<string>(result.DataJson));
    }

    [Fact]
    public async Task ExecuteAsync_JsonContentTypeWithInvalidJson_ReturnsBodyAsJsonString()
    {
        api.MapJson("GET", "/v1/broken", "{not json");

        var result = await RunAsync(new HttpQueryRequest { QueryName = "Broken", Url = "/broken", Datasource = Datasource() });

        Assert.Equal("{not json", JsonSerializer.Deserialize<string>(result.DataJson));
    }

    [Fact]
    public async Task ExecuteAsync_EmptyTextBody_ReturnsEmptyJsonString()
    {
        api.Map("DELETE", "/v1/items/7", ctx => { ctx.Response.StatusCode = 204; return Task.CompletedTask; });

        var result = await RunAsync(new HttpQueryRequest { QueryName = "Delete", Method = "delete", Url = "/items/7", Datasource = Datasource() });

        Assert.True(result.IsExecutionSuccess);
        Assert.Equal(204, result.StatusCode);
        Assert.Equal("\"\"", result.DataJson);
        Assert.Equal("DELETE", Assert.Single(api.Requests).Method);
    }

    [Theory]
    [InlineData("json", """{"refresh_token":"r-1","n":2}""", "application/json")]
    [InlineData("text", "plain words\nline two", "text/plain")]
    public async Task ExecuteAsync_PostTextualBody_ArrivesAsSent(string kind, string text, string contentType)
    {
        api.MapJson("POST", "/v1/echo", "{}");

        var result = await RunAsync(new HttpQueryRequest
        {
            QueryName = "Post", Method = "POST", Url = "/echo", Datasource = Datasource(), Body = new HttpQueryBody(kind, text),
        });

        Assert.True(result.IsExecutionSuccess, result.Error);
        var received = Assert.Single(api.Requests);
        Assert.Equal("POST", received.Method);
        Assert.Equal(text, received.Body);
        Assert.StartsWith(contentType, received.Header("Content-Type"));
    }

    [Fact]
    public async Task ExecuteAsync_PostFormBody_ArrivesUrlEncoded()
    {
        api.MapJson("POST", "/token", """{"access_token":"a"}""");

        var result = await RunAsync(new HttpQueryRequest
        {
            QueryName = "Token", Method = "POST", Url = api.Url("/token"),
            Body = new HttpQueryBody("form", Form: [new("grant_type", "refresh_token"), new("refresh_token", "a b&c=d")]),
        });

        Assert.True(result.IsExecutionSuccess, result.Error);
        var received = Assert.Single(api.Requests);
        Assert.Equal("application/x-www-form-urlencoded", received.Header("Content-Type"));
        Assert.Equal("grant_type=refresh_token&refresh_token=a+b%26c%3Dd", received.Body);
    }

    [Fact]
    public async Task ExecuteAsync_HeadersAndQueryParams_AreSentEncoded()
    {
        api.MapJson("GET", "/v1/search", "[]");

        await RunAsync(new HttpQueryRequest
        {
            QueryName = "Search", Url = "/search?fixed=1", Datasource = Datasource(),
            Headers = [new("Authorization", "Bearer abc"), new("X-Trace", "t-1")],
            QueryParams = [new("q", "a b&c"), new("lang", "fr/ç")],
        });

        var received = Assert.Single(api.Requests);
        Assert.Equal("Bearer abc", received.Header("Authorization"));
        Assert.Equal("t-1", received.Header("X-Trace"));
        Assert.Equal("?fixed=1&q=a%20b%26c&lang=fr%2F%C3%A7", received.QueryString);
        Assert.Equal("a b&c", received.Query["q"]);
        Assert.Equal("fr/ç", received.Query["lang"]);
    }

    [Fact]
    public async Task ExecuteAsync_InvalidHeaderName_ReturnsErrorWithoutRequest()
    {
        var result = await RunAsync(new HttpQueryRequest
        {
            QueryName = "BadHeader", Url = "/x", Datasource = Datasource(), Headers = [new("Bad Header:", "v")],
        });

        Assert.False(result.IsExecutionSuccess);
        Assert.Equal(0, result.StatusCode);
        Assert.Contains("invalid header name 'Bad Header:'", result.Error);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_Non2xx_ReturnsErrorBodyAndBoundedExcerpt()
    {
        var message = new string('x', 2000);
        api.MapJson("GET", "/v1/fail", JsonSerializer.Serialize(new { error = "boom", message }), statusCode: 500);

        var result = await RunAsync(new HttpQueryRequest { QueryName = "Fail", Url = "/fail", Datasource = Datasource() });

        Assert.False(result.IsExecutionSuccess);
        Assert.Equal(500, result.StatusCode);
        Assert.Equal("boom", JsonDocument.Parse(result.DataJson).RootElement.GetProperty("error").GetString());
        Assert.StartsWith("Fail failed with status 500: {\"error\":\"boom\"", result.Error);
        Assert.InRange(result.Error!.Length, 500, "Fail failed with status 500: ".Length + 501);
    }

    [Fact]
    public async Task ExecuteAsync_ServerSlowerThanTimeout_ReturnsTimeoutResult()
    {
        api.Map("GET", "/v1/slow", async ctx => await Task.Delay(TimeSpan.FromSeconds(10), ctx.RequestAborted));

        var result = await RunAsync(new HttpQueryRequest
        {
            QueryName = "Slow", Url = "/slow", Datasource = Datasource(), Timeout = TimeSpan.FromMilliseconds(300),
        });

        Assert.False(result.IsExecutionSuccess);
        Assert.Equal(0, result.StatusCode);
        Assert.Contains("Slow timed out after 300 ms", result.Error);
        Assert.InRange(result.Duration, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancels_ThrowsOperationCanceled()
    {
        api.Map("GET", "/v1/slow", async ctx => await Task.Delay(TimeSpan.FromSeconds(10), ctx.RequestAborted));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            RunAsync(new HttpQueryRequest { QueryName = "Slow", Url = "/slow", Datasource = Datasource() }, cts.Token));
    }

    [Fact]
    public async Task ExecuteAsync_AbsoluteUrlToDisallowedHost_RefusedWithoutRequest()
    {
        other.MapJson("GET", "/secret", "{}");

        var result = await RunAsync(new HttpQueryRequest { QueryName = "Leak", Url = other.Url("/secret"), Datasource = Datasource() });

        Assert.False(result.IsExecutionSuccess);
        Assert.Equal(0, result.StatusCode);
        Assert.Contains($"Leak may not reach {other.HostPort}", result.Error);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_AbsoluteUrlToListedHost_IsSent()
    {
        other.MapJson("GET", "/ok", """{"ok":true}""");

        var result = await RunAsync(new HttpQueryRequest { QueryName = "Listed", Url = other.Url("/ok"), Datasource = Datasource(other.HostPort) });

        Assert.True(result.IsExecutionSuccess, result.Error);
        Assert.Equal("""{"ok":true}""", result.DataJson);
    }

    [Fact]
    public async Task ExecuteAsync_RedirectToOtherHost_RefusedWithoutFollowing()
    {
        api.MapRedirect("GET", "/v1/go", other.Url("/landing"));
        other.MapJson("GET", "/landing", "{}");

        var result = await RunAsync(new HttpQueryRequest { QueryName = "Go", Url = "/go", Datasource = Datasource() });

        Assert.False(result.IsExecutionSuccess);
        Assert.Equal(302, result.StatusCode);
        Assert.Contains($"redirected (302) from {api.HostPort} to {other.HostPort}, which is not an allowed host", result.Error);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_ModuleQueryRedirectToOtherHost_Refused()
    {
        api.MapRedirect("POST", "/token", other.Url("/token"), statusCode: 307);

        var result = await RunAsync(new HttpQueryRequest { QueryName = "Token", Method = "POST", Url = api.Url("/token"), Body = new("json", "{}") });

        Assert.Contains("not an allowed host", result.Error);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_SameHostRedirect_IsFollowed()
    {
        api.MapRedirect("GET", "/v1/old", "/v1/new", statusCode: 301);
        api.MapJson("GET", "/v1/new", """{"moved":true}""");

        var result = await RunAsync(new HttpQueryRequest { QueryName = "Moved", Url = "/old?x=1", Datasource = Datasource() });

        Assert.True(result.IsExecutionSuccess, result.Error);
        Assert.Equal("""{"moved":true}""", result.DataJson);
        Assert.Equal(["/v1/old", "/v1/new"], api.Requests.Select(r => r.Path));
    }

    [Theory]
    [InlineData(307, "POST", "{\"a\":1}")]
    [InlineData(308, "POST", "{\"a\":1}")]
    [InlineData(302, "GET", "")]
    [InlineData(303, "GET", "")]
    public async Task ExecuteAsync_PostRedirect_KeepsOrDropsMethodAndBody(int status, string expectedMethod, string expectedBody)
    {
        api.MapRedirect("POST", "/v1/submit", api.Url("/v1/done"), status);
        api.MapJson("*", "/v1/done", "{}");

        var result = await RunAsync(new HttpQueryRequest
        {
            QueryName = "Submit", Method = "POST", Url = "/submit", Datasource = Datasource(), Body = new("json", "{\"a\":1}"),
        });

        Assert.True(result.IsExecutionSuccess, result.Error);
        var final = api.Requests[^1];
        Assert.Equal("/v1/done", final.Path);
        Assert.Equal(expectedMethod, final.Method);
        Assert.Equal(expectedBody, final.Body);
    }

    [Fact]
    public async Task ExecuteAsync_RedirectLoop_StopsAfterMaxRedirects()
    {
        api.MapRedirect("GET", "/v1/loop", "/v1/loop");

        var result = await RunAsync(new HttpQueryRequest { QueryName = "Loop", Url = "/loop", Datasource = Datasource() });

        Assert.Contains("redirected more than 5 times", result.Error);
        Assert.Equal(6, api.Requests.Count);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::ffff:169.254.169.254]/latest/meta-data/")]
    [InlineData("http://100.100.100.200/latest/meta-data/")]
    [InlineData("http://0.0.0.0:80/")]
    public async Task ExecuteAsync_MetadataOrUnspecifiedAddress_Refused(string url)
    {
        var result = await RunAsync(new HttpQueryRequest { QueryName = "Meta", Url = url, Timeout = TimeSpan.FromSeconds(2) });

        Assert.False(result.IsExecutionSuccess);
        Assert.Equal(0, result.StatusCode);
        Assert.StartsWith("Meta refused:", result.Error);
        Assert.Contains("which queries may not reach", result.Error);
        Assert.DoesNotContain("timed out", result.Error);
    }

    [Fact]
    public async Task ExecuteAsync_ConnectionRefused_ReturnsErrorResult()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await RunAsync(new HttpQueryRequest { QueryName = "Down", Url = $"http://127.0.0.1:{port}/x" });

        Assert.False(result.IsExecutionSuccess);
        Assert.Equal(0, result.StatusCode);
        Assert.Equal($"Down could not connect to 127.0.0.1:{port}: connection refused.", result.Error);
        Assert.Equal("null", result.DataJson);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/file", "only http and https")]
    [InlineData("/relative", "no datasource base URL")]
    public async Task ExecuteAsync_UnusableUrl_ReturnsError(string url, string expected)
    {
        var result = await RunAsync(new HttpQueryRequest { QueryName = "Odd", Url = url });

        Assert.False(result.IsExecutionSuccess);
        Assert.Contains(expected, result.Error);
    }
}
