using System.Text.Json;
using FluentValidation;

namespace LowCodeTokens.Engine.Definitions;

public sealed class QueryDefinitionValidator : AbstractValidator<QueryDefinition>
{
    internal static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    internal static readonly string[] BodyTypes = ["json", "form", "text", "none"];
    internal const int MinTimeoutMs = 1, MaxTimeoutMs = 60_000;

    public QueryDefinitionValidator()
    {
        RuleFor(q => q.Name).Must(n => Names.Identifier().IsMatch(n)).WithMessage("must be a JavaScript identifier (letters, digits, _ or $; not starting with a digit)")
            .Must(n => !Names.Reserved.Contains(n)).WithMessage(q => $"'{q.Name}' is a reserved name");
        RuleFor(q => q.Method).Must(m => Methods.Contains(m.ToUpperInvariant())).WithMessage($"must be one of {string.Join(", ", Methods)}");
        RuleFor(q => q.Url).NotEmpty();
        RuleFor(q => q.BodyType).Must(b => b is null || BodyTypes.Contains(b)).WithMessage($"must be one of {string.Join(", ", BodyTypes)}");
        RuleFor(q => q.Body).Must(IsFormBody!).When(q => q.BodyType == "form" && q.Body is not null)
            .WithMessage("a form body is an object, an array of { \"key\": \"...\", \"value\": ... } pairs, or a url-encoded string");
        RuleFor(q => q.TimeoutMs).InclusiveBetween(MinTimeoutMs, MaxTimeoutMs).When(q => q.TimeoutMs is not null);
        RuleFor(q => q.OnUnauthorized).Must(f => f!.Split('.').All(p => Names.Identifier().IsMatch(p)))
            .When(q => q.OnUnauthorized is not null).WithMessage("must name a function, e.g. Auth_Module.refreshAccessToken");
    }

    // Mirrors what QueryBodyPlan compiles, so that a bad form body is a located 400 rather than a failure at compile time.
    private static bool IsFormBody(JsonElement? body) => body!.Value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.String or JsonValueKind.Object => true,
        JsonValueKind.Array => body.Value.EnumerateArray().All(p =>
            p.ValueKind == JsonValueKind.Object && p.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String),
        _ => false,
    };
}
