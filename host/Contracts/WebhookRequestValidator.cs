using FluentValidation;
using LowCodeTokens.Engine.Tokens;

namespace LowCodeTokens.Host.Contracts;

/// <summary>Shape only; the URL's address policy and the types are judged by the engine's registry.</summary>
public sealed class WebhookRequestValidator : AbstractValidator<WebhookRequest>
{
    public WebhookRequestValidator()
    {
        RuleFor(r => r.Url).NotEmpty();
        RuleFor(r => r.Events).NotEmpty().WithMessage($"List the event types to deliver: {string.Join(", ", TokenEventTypes.All)}.");
    }
}
