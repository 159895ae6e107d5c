using FluentValidation;
using LowCodeTokens.Engine.Definitions;

namespace LowCodeTokens.Host.Contracts;

internal static class ScopeRules
{
    public const int MaxLength = Names.MaxScopeLength;

    /// <summary>A scope, when given, is 1–200 characters without control or format characters (an absent one means <c>app</c>).</summary>
    public static IRuleBuilderOptions<T, string?> ValidScope<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must((_, scope, context) =>
        {
            if (scope is null || Names.ScopeProblem(scope) is not { } problem) return true;
            context.MessageFormatter.AppendArgument("Problem", problem);
            return false;
        }).WithMessage("{Problem}");
}
