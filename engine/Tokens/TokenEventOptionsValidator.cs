using Microsoft.Extensions.Options;

namespace LowCodeTokens.Engine.Tokens;

/// <summary>Rejects event and webhook settings that would keep nothing, never deliver, or retry without waiting.</summary>
internal sealed class TokenEventOptionsValidator : IValidateOptions<LowCodeEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, LowCodeEngineOptions options)
    {
        var (e, w) = (options.Events, options.Webhooks);
        var failures = new List<string>();
        if (e.PerApp < 1) failures.Add($"LowCodeTokens:Events:PerApp must be at least 1 (is {e.PerApp}).");
        if (e.CredentialsPerApp < 1) failures.Add($"LowCodeTokens:Events:CredentialsPerApp must be at least 1 (is {e.CredentialsPerApp}).");
        if (w.MaxAttempts < 1) failures.Add($"LowCodeTokens:Webhooks:MaxAttempts must be at least 1 (is {w.MaxAttempts}).");
        if (w.FirstRetryDelay <= TimeSpan.Zero || w.FirstRetryDelay > w.MaxRetryDelay)
            failures.Add($"LowCodeTokens:Webhooks:FirstRetryDelay must be positive and at most MaxRetryDelay ({w.MaxRetryDelay}) (is {w.FirstRetryDelay}).");
        if (w.Timeout <= TimeSpan.Zero) failures.Add($"LowCodeTokens:Webhooks:Timeout must be positive (is {w.Timeout}).");
        if (w.QueueCapacity < 1) failures.Add($"LowCodeTokens:Webhooks:QueueCapacity must be at least 1 (is {w.QueueCapacity}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
