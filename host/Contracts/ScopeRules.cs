using FluentValidation;

namespace LowCodeTokens.Host.Contracts;

internal static class ScopeRules
{
    public const int MaxLength = 200;

    /// <summary>A scope, when given, is 1–200 characters (an absent one means <c>app</c>).</summary>
    public static IRuleBuilderOptions<T, string?> ValidScope<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(s => s is null || s.Length is >= 1 and <= MaxLength)
            .WithMessage($"'scope' must be 1 to {MaxLength} characters; leave it out for the shared scope 'app'.");
}
