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
            QueryName = "Token", Method = "POST", Url = api.Url("/token"), AllowedHosts = [api.HostPort],
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

        var result = await RunAsync(new HttpQueryRequest { QueryName = "Token", Method = "POST", Url = api.Url("/token"), AllowedHosts = [api.HostPort], Body = new("json", "{}") });

        Assert.Contains("not an allowed host", result.Error);
        Assert.Empty(other.Requests);
    }

    // Every header the query or its datasource sets may be a credential, whatever its name.
    private static KeyValuePair<string, string>[] SecretHeaders() =>
    [
        new("Authorization", "Bearer at-secret-1"), new("Proxy-Authorization", "Basic cHJveHk6c2VjcmV0"),
        new("Cookie", "sid=s-secret-2"), new("X-Api-Key", "k-secret-3"),
    ];

    [Theory]
    [InlineData(302, "GET")]
    [InlineData(307, "POST")]
    public async Task ExecuteAsync_RedirectToAnotherAllowedOrigin_LeavesTheRequestsHeadersBehind(int status, string method)
    {
        api.MapRedirect(method, "/v1/go", other.Url("/landing"), status);
        other.MapJson("*", "/landing", """{"landed":true}""");

        var result = await RunAsync(new HttpQueryRequest
        {
            QueryName = "Go", Method = method, Url = "/go", Datasource = Datasource(other.HostPort), Headers = SecretHeaders(),
            Body = method == "POST" ? new("json", "{\"a\":1}") : null,
        });

        Assert.True(result.IsExecutionSuccess, result.Error);
        Assert.Equal("Bearer at-secret-1", Assert.Single(api.Requests).Header("Authorization"));
        var landed = Assert.Single(other.Requests);
        foreach (var (name, _) in SecretHeaders())
            Assert.Null(landed.Header(name));
        Assert.DoesNotContain("secret", string.Join("\n", landed.Headers.Select(h => h.Value)));
        if (method == "POST")
        {
            // 307 repeats the request: the body goes on, described by its own Content-Type.
            Assert.Equal("{\"a\":1}", landed.Body);
            Assert.StartsWith("application/json", landed.Header("Content-Type"));
        }
    }

    [Fact]
    public async Task ExecuteAsync_RedirectAwayAndBack_HeadersStayBehindForTheRestOfTheChain()
    {
        api.MapRedirect("GET", "/v1/go", other.Url("/bounce"));
        other.MapRedirect("GET", "/bounce", api.Url("/v1/back"));
        api.MapJson("GET", "/v1/back", "{}");

        var result = await RunAsync(new HttpQueryRequest
        {
            QueryName = "Go", Url = "/go", Datasource = Datasource(other.HostPort), Headers = SecretHeaders(),
        });

        Assert.True(result.IsExecutionSuccess, result.Error);
        Assert.Equal(["/v1/go", "/v1/back"], api.Requests.Select(r => r.Path));
        Assert.Null(api.Requests[1].Header("Authorization"));
        Assert.Null(Assert.Single(other.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task ExecuteAsync_SameOriginRedirect_KeepsTheRequestsHeaders()
    {
        api.MapRedirect("GET", "/v1/old", "/v1/new", statusCode: 301);
        api.MapJson("GET", "/v1/new", "{}");

        var result = await RunAsync(new HttpQueryRequest { QueryName = "Moved", Url = "/old", Datasource = Datasource(), Headers = SecretHeaders() });

        Assert.True(result.IsExecutionSuccess, result.Error);
        Assert.All(api.Requests, r => Assert.Equal("k-secret-3", r.Header("X-Api-Key")));
    }

    [Fact]
    public async Task ExecuteAsync_RedirectToAllowedHostAtARefusedAddress_RefusedWithoutConnecting()
    {
        api.MapRedirect("GET", "/v1/go", "http://169.254.169.254/latest/meta-data/");

        var result = await RunAsync(new HttpQueryRequest
        {
            QueryName = "Go", Url = "/go", Datasource = Datasource("169.254.169.254:80"), Headers = SecretHeaders(), Timeout = TimeSpan.FromSeconds(2),
        });

        Assert.False(result.IsExecutionSuccess);
        Assert.Equal("Go refused: 169.254.169.254 resolves to 169.254.169.254, a cloud metadata address, which queries may not reach. No request was sent.", result.Error);
    }

    [Fact]
    public async Task ExecuteAsync_NoDatasourceAndNoAllowedHosts_RefusedWithoutRequest()
    {
        api.MapJson("GET", "/ok", "{}");

        var result = await RunAsync(new HttpQueryRequest { QueryName = "Open", Url = api.Url("/ok") });

        Assert.False(result.IsExecutionSuccess);
        Assert.Equal($"Open may not reach {api.HostPort}: it is not in the app's allowedHosts (a query without a datasource may reach only those). No request was sent.", result.Error);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_NoDatasource_ReachesOnlyTheAllowedHosts()
    {
        api.MapJson("GET", "/ok", "{}");
        other.MapJson("GET", "/ok", "{}");

        var allowed = await RunAsync(new HttpQueryRequest { QueryName = "Mine", Url = api.Url("/ok"), AllowedHosts = [api.HostPort] });
        var refused = await RunAsync(new HttpQueryRequest { QueryName = "Theirs", Url = other.Url("/ok"), AllowedHosts = [api.HostPort] });

        Assert.True(allowed.IsExecutionSuccess, allowed.Error);
        Assert.Contains("not in the app's allowedHosts", refused.Error);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_LoopbackNotAllowedByTheOperator_RefusedEvenForAnAllowedHost()
    {
        await using var strict = QueryTestServices.Create(options: o => o.Queries.AllowLoopback = false);
        api.MapJson("GET", "/v1/ok", "{}");

        var viaDatasource = await strict.Executor().ExecuteAsync(new HttpQueryRequest { QueryName = "Own", Url = "/ok", Datasource = Datasource() });
        var withoutDatasource = await strict.Executor().ExecuteAsync(new HttpQueryRequest { QueryName = "Own", Url = api.Url("/v1/ok"), AllowedHosts = [api.HostPort] });

        foreach (var result in new[] { viaDatasource, withoutDatasource })
            Assert.Equal("Own refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address (allowed only by LowCodeTokens:Queries:AllowLoopback), which queries may not reach. No request was sent.", result.Error);
        Assert.Empty(api.Requests);
    }

    [Theory]
    [InlineData("http://[::a9fe:a9fe]/latest/meta-data/")]
    [InlineData("http://[::169.254.169.254]/latest/meta-data/")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/latest/meta-data/")]
    [InlineData("http://[2002:a9fe:a9fe::1]/latest/meta-data/")]
    public async Task ExecuteAsync_IPv6FormOfTheMetadataAddress_Refused(string url)
    {
        var result = await RunAsync(new HttpQueryRequest { QueryName = "Meta", Url = url, AllowedHosts = [new Uri(url).Authority], Timeout = TimeSpan.FromSeconds(2) });

        Assert.StartsWith("Meta refused:", result.Error);
        Assert.Contains("a cloud metadata address, which queries may not reach", result.Error);
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
        var result = await RunAsync(new HttpQueryRequest { QueryName = "Meta", Url = url, AllowedHosts = [new Uri(url).Authority], Timeout = TimeSpan.FromSeconds(2) });

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

        var result = await RunAsync(new HttpQueryRequest { QueryName = "Down", Url = $"http://127.0.0.1:{port}/x", AllowedHosts = [$"127.0.0.1:{port}"] });

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
