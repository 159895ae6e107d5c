using FluentValidation;

namespace LowCodeTokens.Host.Contracts;

public sealed class StoreViewQueryValidator : AbstractValidator<StoreViewQuery>
{
    public StoreViewQueryValidator() => RuleFor(r => r.Scope).ValidScope();
}
