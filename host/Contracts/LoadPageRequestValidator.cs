using FluentValidation;

namespace LowCodeTokens.Host.Contracts;

public sealed class LoadPageRequestValidator : AbstractValidator<LoadPageRequest>
{
    public LoadPageRequestValidator() => RuleFor(r => r.Scope).ValidScope();
}
