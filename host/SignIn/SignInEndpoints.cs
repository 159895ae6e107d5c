using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Host.Auth;
using LowCodeTokens.Host.Viewer;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Host.SignIn;

/// <summary>
/// End-user sign-in of an app's viewer (SPEC §7): <c>GET /apps/{app}/signin?page=</c> sends the visitor to the app's identity
/// provider; <c>GET /apps/{app}/signin-oidc</c> is the provider's answer (code flow, query response mode);
/// <c>POST /apps/{app}/viewer/signout</c> ends the session, removes the user's tokens, revokes the refresh token and answers
/// where to send the browser (the provider's end-session endpoint when it has one); <c>GET /apps/{app}/signed-out</c>.
/// </summary>
public static partial class SignInEndpoints
{
    public static RouteGroupBuilder MapSignInEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/apps/{app}").ExcludeFromDescription();
        group.MapGet("/signin", SignInAsync);
        group.MapGet("/signin-oidc", HandleProviderAnswerAsync);
        group.MapGet("/signout-oidc", HandleProviderAnswerAsync);
        group.MapGet("/signed-out", (string app, HttpContext context) =>
        {
            ViewerPages.Harden(context.Response);
            return SignInPages.SignedOut(app);
        });
        group.MapPost("/viewer/signout", SignOutAsync).RequireApiKey(ApiKeyAccess.Viewer);
        return group;
    }

    private static async Task<IResult> SignInAsync(string app, string? page, HttpContext context, [FromServices] SignInSettings settings,
        [FromServices] ILoggerFactory loggers)
    {
        ViewerPages.Harden(context.Response);
        if (await settings.AppAsync(app, context.RequestAborted) is not { Definition: { SignIn: { } signIn } definition })
            return SignInPages.NoSignIn(app);
        var pages = definition.Pages;
        var target = pages.FirstOrDefault(p => p.Name == page)?.Name ?? pages.FirstOrDefault()?.Name;
        var properties = new AuthenticationProperties
        {
            RedirectUri = target is null ? SignInSchemes.SignedOutPath(app) : SignInSchemes.PagePath(app, target),
        };
        try
        {
            await context.ChallengeAsync(SignInSchemes.Oidc(app), properties);
            return Results.Empty;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
        {
            // Discovery failed: the provider is down or the authority is wrong. Nothing was set in the browser.
            LogProviderUnreachable(loggers.CreateLogger(typeof(SignInEndpoints)), app, signIn.Authority);
            return SignInPages.Refused(app, $"The app's identity provider ({signIn.Authority}) cannot be reached or has no valid discovery document. Try again later.");
        }
    }

    private static async Task<IResult> HandleProviderAnswerAsync(string app, HttpContext context, [FromServices] ViewerUsers users,
        [FromServices] IAuthenticationHandlerProvider handlers)
    {
        ViewerPages.Harden(context.Response);
        if (await users.SignInOfAsync(app, context.RequestAborted) is null) return SignInPages.NoSignIn(app);
        if (await handlers.GetHandlerAsync(context, SignInSchemes.Oidc(app)) is IAuthenticationRequestHandler handler && await handler.HandleRequestAsync())
            return Results.Empty;
        return SignInPages.Refused(app, "There is no sign-in in progress for this app here.");
    }

    private static async Task<IResult> SignOutAsync(string app, HttpContext context, [FromServices] ViewerUsers users,
        [FromServices] IScopedRuntime runtime, [FromServices] IOptionsMonitor<OpenIdConnectOptions> oidc, [FromServices] ILoggerFactory loggers)
    {
        context.Response.Headers.CacheControl = "no-store";
        var logger = loggers.CreateLogger(typeof(SignInEndpoints));
        if (ViewerUsers.Current(context) is not { } user || await users.SignInOfAsync(app, context.RequestAborted) is not { } signIn)
            return TypedResults.Problem("This viewer was opened with a key; there is no user to sign out.", statusCode: StatusCodes.Status400BadRequest,
                title: "No signed-in user.");

        var released = await runtime.CallModuleAsync(app, user.Scope, signIn.Tokens, "releaseTokens", "[]", context.RequestAborted);
        var tokens = released.Ok && released.ValueJson is { } json ? JsonNode.Parse(json) as JsonObject : null;
        if (!released.Ok) LogReleaseFailed(logger, app, signIn.Tokens);
        await context.SignOutAsync(SignInSchemes.Cookie(app));

        var location = SignInSchemes.SignedOutPath(app);
        var options = oidc.Get(SignInSchemes.Oidc(app));
        try
        {
            var configuration = await options.ConfigurationManager!.GetConfigurationAsync(context.RequestAborted);
            if (tokens?["refreshToken"]?.GetValue<string>() is { Length: > 0 } refreshToken
                && configuration.RevocationEndpoint is { Length: > 0 } revocation)
                await RevokeAsync(options.Backchannel, revocation, signIn, refreshToken, app, logger, context.RequestAborted);
            if (!string.IsNullOrEmpty(configuration.EndSessionEndpoint))
            {
                await context.SignOutAsync(SignInSchemes.Oidc(app), new AuthenticationProperties { RedirectUri = location });
                location = SignInEvents.SignOutUrl(context) ?? location;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
        {
            // The session and the tokens are gone here; only the provider's side could not be told.
            LogProviderUnreachable(logger, app, signIn.Authority);
        }
        return TypedResults.Ok(new SignOutResponse(location));
    }

    private static async Task RevokeAsync(HttpClient backchannel, string address, SignInDefinition signIn, string refreshToken, string app,
        ILogger logger, CancellationToken ct)
    {
        var response = await backchannel.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = address,
            ClientId = signIn.ClientId,
            ClientSecret = signIn.ClientSecret.Length > 0 ? signIn.ClientSecret : null,
            Token = refreshToken,
            TokenTypeHint = "refresh_token",
        }, ct);
        if (response.IsError) LogRevocationFailed(logger, app, (int)response.HttpStatusCode, response.Error ?? "");
    }

    /// <summary>Where the viewer sends the browser after sign-out.</summary>
    public sealed record SignOutResponse(string Location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The identity provider {Authority} of app {App} cannot be reached or has no valid discovery document")]
    private static partial void LogProviderUnreachable(ILogger logger, string app, string authority);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The token module {Instance} of app {App} did not release a user's tokens at sign-out")]
    private static partial void LogReleaseFailed(ILogger logger, string app, string instance);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoking a refresh token of app {App} failed: HTTP {Status} {Error}")]
    private static partial void LogRevocationFailed(ILogger logger, string app, int status, string error);
}
