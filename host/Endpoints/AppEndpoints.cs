using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Host.Auth;
using LowCodeTokens.Host.Contracts;
using LowCodeTokens.Host.Problems;
using LowCodeTokens.Host.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LowCodeTokens.Host.Endpoints;

/// <summary>Importing, exporting and removing app definitions, issuing app keys, viewing the store (admin key).</summary>
public static partial class AppEndpoints
{
    public static RouteGroupBuilder MapAppEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/apps").WithTags("Apps").RequireApiKey(ApiKeyAccess.Admin);

        group.MapGet("/", ListAsync).WithName("ListApps").WithSummary("List apps");
        group.MapPut("/{app}", ImportAsync)
            .Accepts<JsonObject>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("ImportApp")
            .WithSummary("Import (create or replace) an app definition")
            .WithDescription("Body: app.json. Nothing stored is changed when it is rejected.");
        group.MapGet("/{app}", ExportAsync)
            .Produces<JsonObject>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("ExportApp").WithSummary("Export the stored app definition");
        group.MapDelete("/{app}", DeleteAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("DeleteApp").WithSummary("Remove an app, its keys, store and sessions");
        group.MapPost("/{app}/keys", IssueKeyAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("IssueAppKey").WithSummary("Issue an app key (shown once)");
        group.MapGet("/{app}/store", GetStoreAsync)
            .WithValidation<StoreViewQuery>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetAppStore").WithSummary("Admin view of one scope of the app's store, secrets masked");

        return group;
    }

    internal static async Task<Ok<AppListResponse>> ListAsync([FromServices] IAppCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(new AppListResponse(await catalog.ListAppsAsync(ct)));

    internal static async Task<Results<Created<AppImportResponse>, Ok<AppImportResponse>, ProblemHttpResult>> ImportAsync(
        string app, HttpRequest request, [FromServices] IAppCatalog catalog, [FromServices] IDefinitionRepository repository, CancellationToken ct)
    {
        var json = await RequestBody.ReadTextAsync(request, ct);
        // Only decides 200 versus 201 (the stamp, not the export, which decrypts and masks the definition); a concurrent
        // import of the same app can at worst report the other one.
        var existed = await repository.GetAppStampAsync(app, ct) is not null;
        var result = await catalog.ImportAppAsync(app, json, ct);
        if (!result.WasSuccessful(out var compiled, out var problems))
            return DefinitionProblemResults.Rejected(result.Failure, problems, "app definition");

        var response = AppImportResponse.From(compiled);
        return existed ? TypedResults.Ok(response) : TypedResults.Created($"/api/apps/{Uri.EscapeDataString(app)}", response);
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> ExportAsync(
        string app, [FromServices] IAppCatalog catalog, CancellationToken ct)
    {
        var json = await catalog.ExportAppAsync(app, ct);
        return json is null ? AppNotFound(app) : TypedResults.Text(json, "application/json");
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string app, [FromServices] IAppCatalog catalog, CancellationToken ct) =>
        await catalog.DeleteAppAsync(app, ct) ? TypedResults.NoContent() : AppNotFound(app);

    internal static async Task<Results<Ok<AppKeyResponse>, ProblemHttpResult>> IssueKeyAsync(
        string app, [FromServices] IDefinitionRepository repository, [FromServices] ILoggerFactory loggers, CancellationToken ct)
    {
        if (await repository.GetAppAsync(app, ct) is null)
            return AppNotFound(app);

        var key = ApiKeys.Generate();
        await repository.AddAppKeyAsync(app, ApiKeys.Hash(key), ct);
        LogKeyIssued(loggers.CreateLogger(typeof(AppEndpoints)), app);
        return TypedResults.Ok(new AppKeyResponse(key));
    }

    internal static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetStoreAsync(
        string app, [AsParameters] StoreViewQuery query, [FromServices] IDefinitionRepository repository,
        [FromServices] IStoreAdminView store, CancellationToken ct)
    {
        if (await repository.GetAppAsync(app, ct) is null)
            return AppNotFound(app);

        return TypedResults.Ok(await store.GetAsync(app, query.Scope ?? LoadPageRequest.DefaultScope, ct));
    }

    internal static ProblemHttpResult AppNotFound(string app) =>
        TypedResults.Problem($"There is no app '{app}'.", statusCode: StatusCodes.Status404NotFound, title: "App not found.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued an app key for {App}")]
    private static partial void LogKeyIssued(ILogger logger, string app);
}
