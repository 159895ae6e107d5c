namespace LowCodeTokens.Engine.Definitions;

/// <summary>
/// An app's end-user sign-in (SPEC §7): the viewer signs visitors in at <see cref="Authority"/> with OpenID Connect
/// (authorization code + PKCE) and hands each user's token response to the module instance <see cref="Tokens"/>, in that
/// user's scope.
/// </summary>
public sealed record SignInDefinition
{
    /// <summary>The issuer URL; its discovery document is <c>{authority}/.well-known/openid-configuration</c>.</summary>
    public required string Authority { get; init; }
    public required string ClientId { get; init; }
    /// <summary>A secret (masked as <c>"[stored secret]"</c> on export). Empty for a public client, which PKCE still protects.</summary>
    public string ClientSecret { get; init; } = "";
    /// <summary>Requested scopes; <c>openid</c> is required, <c>offline_access</c> is what brings a refresh token.</summary>
    public List<string> Scopes { get; init; } = ["openid", "offline_access"];
    /// <summary>The module instance that keeps the user's tokens: it declares <c>acceptTokens(response)</c>.</summary>
    public required string Tokens { get; init; }
}
