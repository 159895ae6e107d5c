using FluentValidation;

namespace LowCodeTokens.Engine.Definitions;

/// <summary>
/// <c>signIn</c>: an absolute http(s) issuer URL without query or fragment, a client id, <c>openid</c> among the scopes, and
/// the module instance that keeps the tokens (that it exists and declares <c>acceptTokens</c> is checked when the app compiles).
/// </summary>
public sealed class SignInDefinitionValidator : AbstractValidator<SignInDefinition>
{
    public const string AcceptTokensFunction = "acceptTokens";

    public SignInDefinitionValidator()
    {
        RuleFor(s => s.Authority).Must(IsIssuer)
            .WithMessage("must be the identity provider's absolute http(s) issuer URL, without query or fragment");
        RuleFor(s => s.ClientId).NotEmpty().WithMessage("must name the app's client at the identity provider");
        RuleFor(s => s.Scopes).Must(s => s.Contains("openid", StringComparer.Ordinal))
            .WithMessage("must include 'openid' (add 'offline_access' to get a refresh token)");
        RuleForEach(s => s.Scopes).Must(s => s.Length > 0 && s.All(c => c > ' ' && c != '"' && c != '\\' && c < 127))
            .WithMessage("must be a scope token: printable ASCII without spaces, quotes or backslashes");
        RuleFor(s => s.Tokens).Must(n => Names.Identifier().IsMatch(n))
            .WithMessage("must name the module instance that keeps the users' tokens, e.g. 'Auth_Module'");
    }

    private static bool IsIssuer(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Query.Length == 0 && uri.Fragment.Length == 0;
}
