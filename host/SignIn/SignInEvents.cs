using System.Security.Claims;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Runtime;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace LowCodeTokens.Host.SignIn;

/// <summary>
/// The OpenID Connect handler's events for an app: a validated sign-in hands the token response to the app's token module
/// in the user's scope and leaves only the app, the scope and a display name in the session cookie; a refused one ends on
/// a page that says why, with no session.
/// </summary>
internal sealed partial class SignInEvents(IScopedRuntime runtime, ILogger<SignInEvents> logger)
{
    private static readonly object SignOutUrlKey = new();

    public async Task TokenValidatedAsync(TokenValidatedContext context, string app, SignInDefinition signIn)
    {
        var principal = context.Principal;
        var subject = principal?.FindFirst("sub")?.Value;
        var issuer = principal?.FindFirst("iss")?.Value ?? principal?.FindFirst("sub")?.Issuer;
        if (subject is null || issuer is null || context.TokenEndpointResponse is not { AccessToken.Length: > 0 } response)
        {
            context.Fail("The identity provider's answer has no subject, issuer or access token.");
            return;
        }

        var scope = UserScope.For(issuer, subject);
        var tokens = new JsonObject();
        foreach (var (key, value) in response.Parameters)
            tokens[key] = key == "expires_in" && long.TryParse(value, out var seconds) ? seconds : value;
        var handed = await runtime.CallModuleAsync(app, scope, signIn.Tokens, SignInDefinitionValidator.AcceptTokensFunction,
            new JsonArray(tokens).ToJsonString(), context.HttpContext.RequestAborted);
        if (!handed.Ok)
        {
            LogHandOverFailed(logger, app, signIn.Tokens);
            context.Fail($"The app's token module ({signIn.Tokens}) did not accept the sign-in: {handed.Error}");
            return;
        }

        var name = principal!.FindFirst("preferred_username")?.Value ?? principal.FindFirst("name")?.Value ?? "signed-in user";
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(SignInSchemes.AppClaim, app), new Claim(SignInSchemes.ScopeClaim, scope), new Claim("name", name)],
            SignInSchemes.Cookie(app), "name", null));
        LogSignedIn(logger, app);
    }

    public Task RemoteFailureAsync(RemoteFailureContext context, string app)
    {
        context.HandleResponse();
        Viewer.ViewerPages.Harden(context.Response);
        LogRefused(logger, app, context.Failure?.GetType().Name ?? "unknown");
        return SignInPages.Refused(app, Explain(context.Failure)).ExecuteAsync(context.HttpContext);
    }

    public Task AccessDeniedAsync(AccessDeniedContext context, string app)
    {
        context.HandleResponse();
        Viewer.ViewerPages.Harden(context.Response);
        return SignInPages.Refused(app, "The identity provider did not let you sign in to this app (access denied).")
            .ExecuteAsync(context.HttpContext);
    }

    /// <summary>
    /// RP-initiated logout names the client (<c>client_id</c>) rather than sending the id token through the browser as
    /// <c>id_token_hint</c>; the caller sends the browser to the URL itself (a script navigation: the viewer's page may
    /// only submit forms to this host). The state is protected here as the handler would after this event.
    /// </summary>
    public Task RedirectForSignOutAsync(RedirectContext context)
    {
        context.ProtocolMessage.IdTokenHint = null;
        context.ProtocolMessage.ClientId = context.Options.ClientId;
        context.ProtocolMessage.State = context.Options.StateDataFormat.Protect(context.Properties);
        context.HttpContext.Items[SignOutUrlKey] = context.ProtocolMessage.CreateLogoutRequestUrl();
        context.HandleResponse();
        return Task.CompletedTask;
    }

    public static string? SignOutUrl(HttpContext context) => context.Items[SignOutUrlKey] as string;

    // What went wrong in words a visitor can act on; the library's message names the check that failed, never a token
    // (IdentityModel hides token contents from its messages unless PII logging is turned on, which this host never does).
    private static string Explain(Exception? failure)
    {
        var message = failure?.Message ?? "";
        if (message.Contains("Correlation failed", StringComparison.Ordinal))
            return "This sign-in answer was already used, or the sign-in did not start in this browser for this app.";
        if (message.Contains("state", StringComparison.OrdinalIgnoreCase))
            return "The sign-in answer does not belong to a sign-in this app started (its state is unknown or altered).";
        if (message.Contains("IDX21323", StringComparison.Ordinal) || message.Contains("nonce", StringComparison.OrdinalIgnoreCase))
            return "The identity provider's token does not match this sign-in (wrong nonce).";
        if (message.Contains("IDX10205", StringComparison.Ordinal) || message.Contains("issuer", StringComparison.OrdinalIgnoreCase))
            return "The identity provider's token comes from another issuer than the app's authority.";
        if (message.Contains("IDX10214", StringComparison.Ordinal) || message.Contains("IDX10208", StringComparison.Ordinal) || message.Contains("audience", StringComparison.OrdinalIgnoreCase))
            return "The identity provider's token was issued for another client (audience).";
        var firstLine = message.Split('\n')[0];
        return "The identity provider's answer could not be verified: " + (firstLine.Length > 300 ? firstLine[..300] + "…" : firstLine);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A user signed in to app {App}")]
    private static partial void LogSignedIn(ILogger logger, string app);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sign-in to app {App} was refused ({Failure})")]
    private static partial void LogRefused(ILogger logger, string app, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The token module {Instance} of app {App} did not accept a sign-in's tokens")]
    private static partial void LogHandOverFailed(ILogger logger, string app, string instance);
}
