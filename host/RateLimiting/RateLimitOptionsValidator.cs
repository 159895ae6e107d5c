using Microsoft.Extensions.Options;

namespace LowCodeTokens.Host.RateLimiting;

/// <summary>Rejects a rate limit that is on but can never refill, when the host starts.</summary>
internal sealed class RateLimitOptionsValidator : IValidateOptions<LowCodeHostOptions>
{
    public ValidateOptionsResult Validate(string? name, LowCodeHostOptions options)
    {
        var failures = new List<string>();
        Check(options.RateLimits.Loads, nameof(RateLimitOptions.Loads), failures);
        Check(options.RateLimits.Runs, nameof(RateLimitOptions.Runs), failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(KeyRateLimit limit, string name, List<string> failures)
    {
        if (limit.Burst < 0)
            failures.Add($"LowCodeTokens:RateLimits:{name}:Burst must be 0 (off) or more (is {limit.Burst}).");
        else if (limit.Burst > 0 && limit.PerSecond < 1)
            failures.Add($"LowCodeTokens:RateLimits:{name}:PerSecond must be at least 1 when the limit is on (is {limit.PerSecond}).");
    }
}
