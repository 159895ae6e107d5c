using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Host.SignIn;
using LowCodeTokens.Host.Viewer;

namespace LowCodeTokens.Host.Auth;

/// <summary>
/// Checks <c>X-Api-Key</c> against the endpoint's <see cref="ApiKeyRequirement"/>. Middleware rather than an endpoint
/// filter so that it runs before the body is bound: an anonymous caller gets 401, not a JSON error about its body.
/// </summary>
internal sealed partial class ApiKeyMiddleware(RequestDelegate next, AdminKeyProvider adminKey, ILogger<ApiKeyMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var requirement = context.GetEndpoint()?.Metadata.GetMetadata<ApiKeyRequirement>();
        if (requirement is null)
        {
            await next(context);
            return;
        }

        if (requirement.Access == ApiKeyAccess.Viewer)
        {
            // An app with signIn opens to its signed-in users only, each in their own scope (SignIn/ViewerUsers).
            var users = context.RequestServices.GetRequiredService<ViewerUsers>();
            if (context.Request.RouteValues["app"] is string signInApp && await users.SignInOfAsync(signInApp, context.RequestAborted) is not null)
            {
                if (await users.AuthenticateAsync(context, signInApp) is not { } user)
                {
                    await RejectAsync(context, StatusCodes.Status401Unauthorized, "Sign in to the viewer again.",
                        "Open the page again to sign in with the app's identity provider.");
                    return;
                }
                PresentedKey.Set(context, user.Scope); // user:…, apart from "admin" and "app:…"
                await next(context);
                return;
            }
            // Only the cookie: an X-Api-Key header does not open viewer routes, and the cookie opens nothing else.
            var tickets = context.RequestServices.GetRequiredService<ViewerTickets>();
            if (!await tickets.IsSignedInAsync(context, context.Request.RouteValues["app"] as string))
            {
                await RejectAsync(context, StatusCodes.Status401Unauthorized, "Sign in to the viewer again.",
                    "Open the page with ?key=<app key> (or its sign-in form) to get a viewer cookie for this app.");
                return;
            }
            await next(context);
            return;
        }

        if (ApiKeys.Presented(context.Request) is not { } presented)
        {
            await RejectAsync(context, StatusCodes.Status401Unauthorized, "An API key is required.",
                $"Send the admin key or an app key in the {ApiKeys.HeaderName} header.");
            return;
        }

        if (adminKey.Matches(presented))
        {
            PresentedKey.Set(context, PresentedKey.Admin);
            await next(context);
            return;
        }

        // Resolved here, not injected into InvokeAsync: anonymous endpoints (healthz) must not depend on the engine.
        var repository = context.RequestServices.GetRequiredService<IDefinitionRepository>();
        var keyHash = ApiKeys.Hash(presented);
        var keyApp = await repository.FindAppByKeyHashAsync(keyHash, context.RequestAborted);
        if (keyApp is null)
        {
            LogUnknownKey(logger, context.Request.Path);
            await RejectAsync(context, StatusCodes.Status401Unauthorized, "The API key is not valid.", null);
            return;
        }

        if (requirement.Access == ApiKeyAccess.Admin)
        {
            await RejectAsync(context, StatusCodes.Status403Forbidden, "This endpoint requires the admin key.",
                "App keys can load pages and run actions of their own app only.");
            return;
        }

        var routeApp = context.Request.RouteValues["app"] as string;
        if (!string.Equals(keyApp, routeApp, StringComparison.Ordinal))
        {
            LogOtherAppKey(logger, keyApp, routeApp);
            await RejectAsync(context, StatusCodes.Status403Forbidden, "This key belongs to another app.",
                "An app key works for its own app only.");
            return;
        }

        PresentedKey.Set(context, PresentedKey.App(keyHash));
        await next(context);
    }

    private static Task RejectAsync(HttpContext context, int status, string title, string? detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title).ExecuteAsync(context);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected an unknown API key for {Path}")]
    private static partial void LogUnknownKey(ILogger logger, PathString path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected an app key of {KeyApp} presented for app {RouteApp}")]
    private static partial void LogOtherAppKey(ILogger logger, string keyApp, string? routeApp);
}
