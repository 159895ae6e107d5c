using Microsoft.Extensions.Options;

namespace LowCodeTokens.Engine.Scripting;

/// <summary>Rejects script limits that would leave scripts unbounded or unable to run, when the host starts.</summary>
internal sealed class ScriptingOptionsValidator : IValidateOptions<LowCodeEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, LowCodeEngineOptions options)
    {
        var o = options.Scripting;
        var failures = new List<string>();
        if (o.TimeLimit <= TimeSpan.Zero || o.TimeLimit > TimeSpan.FromMinutes(10))
            failures.Add($"LowCodeTokens:Scripting:TimeLimit must be between 0 and 10 minutes (is {o.TimeLimit}).");
        if (o.InvocationDeadline < o.TimeLimit)
            failures.Add($"LowCodeTokens:Scripting:InvocationDeadline ({o.InvocationDeadline}) must not be shorter than the TimeLimit ({o.TimeLimit}).");
        if (o.MemoryLimitMb < 1)
            failures.Add($"LowCodeTokens:Scripting:MemoryLimitMb must be at least 1 (is {o.MemoryLimitMb}).");
        if (o.MaxValueBytes < 1024)
            failures.Add($"LowCodeTokens:Scripting:MaxValueBytes must be at least 1024 (is {o.MaxValueBytes}).");
        if (o.MaxCallDepth < 16)
            failures.Add($"LowCodeTokens:Scripting:MaxCallDepth must be at least 16 (is {o.MaxCallDepth}).");
        if (o.QuarantineStrikes < 1)
            failures.Add($"LowCodeTokens:Scripting:QuarantineStrikes must be at least 1 (is {o.QuarantineStrikes}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
