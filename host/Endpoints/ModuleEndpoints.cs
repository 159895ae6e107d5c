using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Host.Auth;
using LowCodeTokens.Host.Contracts;
using LowCodeTokens.Host.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LowCodeTokens.Host.Endpoints;

/// <summary>Publishing and listing module versions (admin key).</summary>
public static class ModuleEndpoints
{
    public static RouteGroupBuilder MapModuleEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/modules").WithTags("Modules").RequireApiKey(ApiKeyAccess.Admin);

        group.MapPut("/{name}/versions/{version}", PublishAsync)
            .Accepts<JsonObject>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("PublishModule")
            .WithSummary("Publish an immutable module version")
            .WithDescription("Body: module.json with \"code\" holding the text of main.js in place of \"main\".");
        group.MapGet("/", ListAsync).WithName("ListModules").WithSummary("List modules");
        group.MapGet("/{name}", GetVersionsAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("GetModule").WithSummary("List a module's versions");

        return group;
    }

    internal static async Task<Results<Created<ModuleVersionResponse>, ProblemHttpResult>> PublishAsync(
        string name, string version, HttpRequest request, [FromServices] IAppCatalog catalog, CancellationToken ct)
    {
        var json = await RequestBody.ReadTextAsync(request, ct);
        var result = await catalog.PublishModuleAsync(name, version, json, ct);
        if (!result.WasSuccessful(out var module, out var problems))
            return DefinitionProblemResults.Rejected(result.Failure, problems, "module version");

        return TypedResults.Created($"/api/modules/{Uri.EscapeDataString(module.Name)}", ModuleVersionResponse.From(module));
    }

    internal static async Task<Ok<ModuleListResponse>> ListAsync([FromServices] IAppCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(new ModuleListResponse(await catalog.ListModulesAsync(ct)));

    internal static async Task<Results<Ok<ModuleVersionsResponse>, ProblemHttpResult>> GetVersionsAsync(
        string name, [FromServices] IAppCatalog catalog, CancellationToken ct)
    {
        var versions = await catalog.ListModuleVersionsAsync(name, ct);
        if (versions.Count == 0)
            return TypedResults.Problem($"No version of module '{name}' is published.", statusCode: StatusCodes.Status404NotFound,
                title: "Module not found.");

        return TypedResults.Ok(new ModuleVersionsResponse(name, versions));
    }
}
