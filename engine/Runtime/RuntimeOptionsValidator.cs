using Microsoft.Extensions.Options;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>Rejects session and per-page limits that would leave capacity unbounded or make every load fail, when the host starts.</summary>
internal sealed class RuntimeOptionsValidator : IValidateOptions<LowCodeEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, LowCodeEngineOptions options)
    {
        var s = options.Sessions;
        var failures = new List<string>();
        if (s.IdleTimeout <= TimeSpan.Zero)
            failures.Add($"LowCodeTokens:Sessions:IdleTimeout must be positive (is {s.IdleTimeout}).");
        if (s.MaxPerApp < 1)
            failures.Add($"LowCodeTokens:Sessions:MaxPerApp must be at least 1 (is {s.MaxPerApp}).");
        if (s.EvictableAfter < TimeSpan.Zero || s.EvictableAfter > s.IdleTimeout)
            failures.Add($"LowCodeTokens:Sessions:EvictableAfter must be between 0 and the IdleTimeout ({s.IdleTimeout}) (is {s.EvictableAfter}).");
        if (options.Queries.MaxConcurrentPerPage < 1)
            failures.Add($"LowCodeTokens:Queries:MaxConcurrentPerPage must be at least 1 (is {options.Queries.MaxConcurrentPerPage}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
