using FluentValidation;
using LowCodeTokens.Engine.Tokens;

namespace LowCodeTokens.Host.Contracts;

public sealed class TokenEventsQueryValidator : AbstractValidator<TokenEventsQuery>
{
    public TokenEventsQueryValidator()
    {
        RuleFor(q => q.Type).Must(t => t is null || TokenEventTypes.IsKnown(t))
            .WithMessage($"Must be one of {string.Join(", ", TokenEventTypes.All)}.");
        RuleFor(q => q.Module).MaximumLength(100);
        RuleFor(q => q.Scope).ValidScope();
        RuleFor(q => q.Limit).InclusiveBetween(1, TokenEventsQuery.MaxLimit);
    }
}
