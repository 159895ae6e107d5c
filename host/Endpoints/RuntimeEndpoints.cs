using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Host.Auth;
using LowCodeTokens.Host.Contracts;
using LowCodeTokens.Host.RateLimiting;
using LowCodeTokens.Host.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LowCodeTokens.Host.Endpoints;

/// <summary>Loading pages and running actions in their sessions (the app's key, or the admin key).</summary>
public static class RuntimeEndpoints
{
    public static RouteGroupBuilder MapRuntimeEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/apps/{app}").WithTags("Runtime").RequireApiKey(ApiKeyAccess.App);
        group.ProducesProblem(StatusCodes.Status404NotFound);
        group.ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapPost("/pages/{page}/load", LoadPageAsync)
            .WithValidation<LoadPageRequest>()
            .RequireRateLimiting(KeyRateLimits.LoadPolicy)
            .WithName("LoadPage")
            .WithSummary("Load a page: open a session and run its page-load actions");
        group.MapPost("/sessions/{sessionId}/run", RunAsync)
            .WithValidation<RunActionRequest>()
            .RequireRateLimiting(KeyRateLimits.RunPolicy)
            .WithName("RunAction")
            .WithSummary("Run an action in a session");

        return group;
    }

    internal static async Task<Results<Ok<PageLoadResponse>, ProblemHttpResult>> LoadPageAsync(
        string app, string page, [FromBody] LoadPageRequest? request, [FromServices] IPageRuntime runtime, CancellationToken ct)
    {
        try
        {
            var result = await runtime.LoadPageAsync(app, page, request?.Scope ?? LoadPageRequest.DefaultScope, ct);
            return TypedResults.Ok(PageLoadResponse.From(result));
        }
        catch (AppNotFoundException e)
        {
            return NotFound(e.Message);
        }
    }

    internal static async Task<Results<Ok<RunResponse>, ProblemHttpResult>> RunAsync(
        string app, string sessionId, RunActionRequest request, [FromServices] IPageRuntime runtime, CancellationToken ct)
    {
        try
        {
            var args = request.Args?.ToJsonString() ?? "[]";
            var result = await runtime.RunAsync(app, sessionId, request.Action!, args, ct);
            return result is null
                ? TypedResults.Problem("The session is unknown or has expired; load the page again.",
                    statusCode: StatusCodes.Status404NotFound, title: "Session not found.")
                : TypedResults.Ok(RunResponse.From(result));
        }
        catch (AppNotFoundException e)
        {
            return NotFound(e.Message);
        }
    }

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");
}
