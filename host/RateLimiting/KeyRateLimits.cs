using System.Globalization;
using System.Threading.RateLimiting;
using LowCodeTokens.Host.Auth;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Host.RateLimiting;

/// <summary>ASP.NET Core rate limiting of page loads and action runs, one token bucket per key (see <see cref="RateLimitOptions"/>).</summary>
public static class KeyRateLimits
{
    public const string LoadPolicy = "lct-loads-per-key";
    public const string RunPolicy = "lct-runs-per-key";

    internal static IServiceCollection AddKeyRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(LoadPolicy, context => Partition(context, l => l.Loads));
            o.AddPolicy(RunPolicy, context => Partition(context, l => l.Runs));
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    // Runs after the key checks (see UseLowCodeHost), which record the key; a request without one was refused before this.
    private static RateLimitPartition<string> Partition(HttpContext context, Func<RateLimitOptions, KeyRateLimit> select)
    {
        var limit = select(context.RequestServices.GetRequiredService<IOptions<LowCodeHostOptions>>().Value.RateLimits);
        var key = PresentedKey.Get(context) ?? "";
        if (limit.Burst <= 0) return RateLimitPartition.GetNoLimiter(key);
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit.Burst,
            TokensPerPeriod = limit.PerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0, // refused at once with Retry-After, rather than holding the connection
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem($"This key made more requests than its limit allows; try again in {seconds} s.",
            statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.").ExecuteAsync(context);
    }
}
