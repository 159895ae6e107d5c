using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Host.Auth;
using LowCodeTokens.Host.Contracts;
using LowCodeTokens.Host.RateLimiting;
using LowCodeTokens.Host.SignIn;
using Microsoft.AspNetCore.Authentication;
using LowCodeTokens.Host.Validation;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LowCodeTokens.Host.Viewer;

/// <summary>
/// The viewer: <c>GET /apps/{app}/pages/{page}</c> serves a static page whose script loads the page through
/// <c>/apps/{app}/viewer/...</c> with the sign-in cookie (see <see cref="ViewerTickets"/>), never with a key.
/// </summary>
public static class ViewerEndpoints
{
    public const string ScopeForViewer = LoadPageRequest.DefaultScope;

    public static RouteGroupBuilder MapViewerEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/viewer/{file}", ServeAsset).ExcludeFromDescription();

        var group = routes.MapGroup("/apps/{app}").ExcludeFromDescription();
        group.MapGet("/pages/{page}", ShowPageAsync);
        group.MapPost("/pages/{page}", SignInWithFormAsync);

        var api = group.MapGroup("/viewer").RequireApiKey(ApiKeyAccess.Viewer).AddEndpointFilter(RequireJsonAsync);
        api.MapPost("/pages/{page}/load", LoadAsync).RequireRateLimiting(KeyRateLimits.LoadPolicy);
        api.MapPost("/sessions/{sessionId}/run", RunAsync).WithValidation<RunActionRequest>().RequireRateLimiting(KeyRateLimits.RunPolicy);
        return group;
    }

    private static async Task<IResult> ShowPageAsync(
        string app, string page, HttpContext context, [FromServices] ViewerTickets tickets, [FromServices] IAntiforgery antiforgery,
        [FromServices] ViewerUsers users)
    {
        ViewerPages.Harden(context.Response);
        // An app with signIn: its users sign in at its identity provider; a key does not open its viewer.
        if (await users.SignInOfAsync(app, context.RequestAborted) is not null)
            return await users.AuthenticateAsync(context, app) is not null
                ? ViewerPages.Viewer()
                : SeeOther(context, SignInSchemes.SignInPath(app, page));
        if (context.Request.Query["key"] is { Count: 1 } key)
        {
            // Exchange the key for the cookie, then drop it from the address bar, the history and what a reload would
            // resend; the page's other parameters stay.
            if (await tickets.SignInAsync(context, app, key[0]!))
                return SeeOther(context, SignInSchemes.PagePath(app, page) + WithoutKey(context.Request.Query));
            return ViewerPages.SignIn(app, page, antiforgery.GetAndStoreTokens(context), "That key does not open this app.",
                StatusCodes.Status401Unauthorized);
        }

        return await tickets.IsSignedInAsync(context, app)
            ? ViewerPages.Viewer()
            : ViewerPages.SignIn(app, page, antiforgery.GetAndStoreTokens(context), null, StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> SignInWithFormAsync(
        string app, string page, HttpContext context, [FromServices] ViewerTickets tickets, [FromServices] IAntiforgery antiforgery,
        [FromServices] ViewerUsers users)
    {
        ViewerPages.Harden(context.Response);
        if (await users.SignInOfAsync(app, context.RequestAborted) is not null) return SeeOther(context, SignInSchemes.SignInPath(app, page));
        // Login CSRF: without the form's token (paired with its cookie) another site could sign this browser in with its own key.
        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
            return ViewerPages.SignIn(app, page, antiforgery.GetAndStoreTokens(context),
                "The form expired or was not sent from this page: enter the key again.", StatusCodes.Status400BadRequest);

        var key = (await context.Request.ReadFormAsync(context.RequestAborted))["key"].ToString();
        return await tickets.SignInAsync(context, app, key)
            ? SeeOther(context, SignInSchemes.PagePath(app, page))
            : ViewerPages.SignIn(app, page, antiforgery.GetAndStoreTokens(context), "That key does not open this app.",
                StatusCodes.Status401Unauthorized);
    }

    internal static async Task<Results<Ok<ViewerPageResponse>, ProblemHttpResult>> LoadAsync(
        string app, string page, HttpContext context, [FromServices] IPageRuntime runtime, [FromServices] IScopedRuntime scoped,
        [FromServices] ViewerUsers users, CancellationToken ct)
    {
        context.Response.Headers.CacheControl = "no-store";
        try
        {
            // A signed-in user's page runs in their scope, fixed by their sign-in; anyone else's in the shared scope.
            var user = ViewerUsers.Current(context);
            var result = await runtime.LoadPageAsync(app, page, user?.Scope ?? ScopeForViewer, ct);
            if (user is not null && result.Actions.Any(a => a.Status != "success")
                && await users.SignInOfAsync(app, ct) is { } signIn
                && await scoped.CallModuleAsync(app, user.Scope, signIn.Tokens, "needsSignIn", "[]", ct) is { Ok: true, ValueJson: "true" })
            {
                // The user's refresh token was rejected for good: sign-in again, not a table of errors.
                await context.SignOutAsync(SignInSchemes.Cookie(app));
                return TypedResults.Problem("Your sign-in has ended; sign in again.", statusCode: StatusCodes.Status401Unauthorized,
                    title: "Sign in again.", extensions: new Dictionary<string, object?> { ["signIn"] = SignInSchemes.SignInPath(app, page) });
            }
            return TypedResults.Ok(ViewerPageResponse.From(result) with { User = user?.Name });
        }
        catch (AppNotFoundException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found.");
        }
    }

    internal static async Task<Results<Ok<ViewerRunResponse>, ProblemHttpResult>> RunAsync(
        string app, string sessionId, RunActionRequest request, HttpContext context, [FromServices] IPageRuntime runtime,
        [FromServices] IScopedRuntime scoped, CancellationToken ct)
    {
        context.Response.Headers.CacheControl = "no-store";
        try
        {
            var args = request.Args?.ToJsonString() ?? "[]";
            // A signed-in user runs actions only in sessions of their own scope: another user's session id is unknown here.
            var result = ViewerUsers.Current(context) is { } user
                ? await scoped.RunAsync(app, user.Scope, sessionId, request.Action!, args, ct)
                : await runtime.RunAsync(app, sessionId, request.Action!, args, ct);
            return result is null
                ? TypedResults.Problem("The session is unknown or has expired; reload the page.",
                    statusCode: StatusCodes.Status404NotFound, title: "Session not found.")
                : TypedResults.Ok(ViewerRunResponse.From(result));
        }
        catch (AppNotFoundException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found.");
        }
    }

    // JSON only, body or not: a page of another site can post text/plain, a form or nothing at all without asking the
    // browser first, but JSON only after a CORS preflight, which this host never answers.
    private static ValueTask<object?> RequireJsonAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Request.HasJsonContentType()
            ? next(context)
            : ValueTask.FromResult<object?>(TypedResults.Problem("Send the request as application/json, as the viewer page does.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type."));

    private static IResult ServeAsset(string file, HttpContext context) =>
        ViewerAssets.Find(file) is { } asset
            ? Results.Bytes(asset.Content, asset.ContentType)
            : Results.NotFound();

    internal static QueryString WithoutKey(IQueryCollection query) =>
        new QueryBuilder(query.Where(p => !string.Equals(p.Key, "key", StringComparison.OrdinalIgnoreCase))).ToQueryString();

    internal static IResult SeeOther(HttpContext context, string location)
    {
        context.Response.Headers.Location = location;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }
}
