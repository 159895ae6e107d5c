using System.Text.Json.Nodes;
using FluentValidation;

namespace LowCodeTokens.Host.Contracts;

public sealed class RunActionRequestValidator : AbstractValidator<RunActionRequest>
{
    public const int MaxActionLength = 200;

    public RunActionRequestValidator()
    {
        RuleFor(r => r.Action)
            .NotEmpty().WithMessage("'action' is required, e.g. \"Auth_Module.getAccessToken\".")
            .MaximumLength(MaxActionLength)
            .Matches(@"^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$")
            .WithMessage("'action' must be a dotted name such as \"Auth_Module.getAccessToken\" or \"getusers_API\".");
        RuleFor(r => r.Args)
            .Must(a => a is null or JsonArray)
            .WithMessage("'args' must be an array.");
    }
}
