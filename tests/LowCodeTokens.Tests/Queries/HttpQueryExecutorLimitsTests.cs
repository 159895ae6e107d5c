using LowCodeTokens.Engine.Queries;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Queries;

public sealed class HttpQueryExecutorLimitsTests
{
    [Fact]
    public async Task ExecuteAsync_BodyOverLimit_ReturnsErrorResult()
    {
        await using var api = await TestApiServer.StartAsync();
        await using var services = QueryTestServices.Create(options: o => o.Queries.MaxResponseBytes = 1024);
        api.MapText("GET", "/big", new string('a', 5000));

        var result = await services.Executor().ExecuteAsync(new HttpQueryRequest { QueryName = "Big", Url = api.Url("/big"), AllowedHosts = [api.HostPort] });

        Assert.False(result.IsExecutionSuccess);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("null", result.DataJson);
        Assert.Contains("larger than the 1024-byte limit", result.Error);
    }

    [Fact]
    public async Task ExecuteAsync_TimeoutAboveMax_IsCappedAtMaxTimeout()
    {
        await using var api = await TestApiServer.StartAsync();
        await using var services = QueryTestServices.Create(options: o => o.Queries.MaxTimeout = TimeSpan.FromMilliseconds(200));
        api.Map("GET", "/slow", async ctx => await Task.Delay(TimeSpan.FromSeconds(10), ctx.RequestAborted));

        var result = await services.Executor().ExecuteAsync(new HttpQueryRequest { QueryName = "Slow", Url = api.Url("/slow"), AllowedHosts = [api.HostPort], Timeout = TimeSpan.FromSeconds(30) });

        Assert.Contains("timed out after 200 ms", result.Error);
    }
}
