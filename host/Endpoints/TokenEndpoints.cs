using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Engine.Tokens;
using LowCodeTokens.Engine.Webhooks;
using LowCodeTokens.Host.Auth;
using LowCodeTokens.Host.Contracts;
using LowCodeTokens.Host.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LowCodeTokens.Host.Endpoints;

/// <summary>What the tokens are doing (SPEC §7): lifecycle events, credential health and webhooks of an app (admin key).</summary>
public static class TokenEndpoints
{
    public static RouteGroupBuilder MapTokenEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/apps/{app}").WithTags("Tokens").RequireApiKey(ApiKeyAccess.Admin);
        group.ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/events", GetEventsAsync)
            .WithValidation<TokenEventsQuery>()
            .WithName("GetTokenEvents")
            .WithSummary("Token lifecycle events of the app, newest first (filters: type, module, scope, since, limit)");
        group.MapGet("/credentials", GetCredentialsAsync)
            .WithName("GetCredentials")
            .WithSummary("Health of each credential (module instance and scope), worst first");
        group.MapGet("/webhooks", ListWebhooksAsync).WithName("ListWebhooks").WithSummary("The app's webhooks (without secrets)");
        group.MapPut("/webhooks/{id}", PutWebhookAsync)
            .WithValidation<WebhookRequest>()
            .WithName("PutWebhook")
            .WithSummary("Create (201, with its secret, shown once) or replace (200, secret kept) a webhook for lifecycle events");
        group.MapGet("/webhooks/{id}", GetWebhookAsync).WithName("GetWebhook").WithSummary("One webhook (without its secret)");
        group.MapDelete("/webhooks/{id}", DeleteWebhookAsync).WithName("DeleteWebhook").WithSummary("Remove a webhook");
        return group;
    }

    internal static async Task<Results<Ok<TokenEventsResponse>, ProblemHttpResult>> GetEventsAsync(
        string app, [AsParameters] TokenEventsQuery query, [FromServices] IDefinitionRepository repository, [FromServices] ITokenEventLog events,
        CancellationToken ct)
    {
        if (await repository.GetAppAsync(app, ct) is null) return AppEndpoints.AppNotFound(app);
        var found = events.Query(app, new TokenEventQuery(query.Type, query.Module, query.Scope, query.Since, query.Limit ?? TokenEventsQuery.DefaultLimit));
        return TypedResults.Ok(new TokenEventsResponse(app, found.Select(TokenEventResponse.From).ToList()));
    }

    internal static async Task<Results<Ok<CredentialsResponse>, ProblemHttpResult>> GetCredentialsAsync(
        string app, [FromServices] IDefinitionRepository repository, [FromServices] ITokenEventLog events, CancellationToken ct)
    {
        if (await repository.GetAppAsync(app, ct) is null) return AppEndpoints.AppNotFound(app);
        return TypedResults.Ok(new CredentialsResponse(app, events.Credentials(app).Select(CredentialResponse.From).ToList()));
    }

    internal static async Task<Results<Ok<WebhookListResponse>, ProblemHttpResult>> ListWebhooksAsync(
        string app, [FromServices] IDefinitionRepository repository, [FromServices] IWebhookRegistry webhooks, CancellationToken ct)
    {
        if (await repository.GetAppAsync(app, ct) is null) return AppEndpoints.AppNotFound(app);
        return TypedResults.Ok(new WebhookListResponse(app, (await webhooks.ListAsync(app, ct)).Select(w => WebhookResponse.From(w)).ToList()));
    }

    internal static async Task<Results<Created<WebhookResponse>, Ok<WebhookResponse>, ValidationProblem, ProblemHttpResult>> PutWebhookAsync(
        string app, string id, WebhookRequest request, [FromServices] IDefinitionRepository repository, [FromServices] IWebhookRegistry webhooks,
        CancellationToken ct)
    {
        if (!Names.UrlName().IsMatch(id))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["1 to 100 letters, digits, '_', '.', '-', starting with a letter or digit."] });
        if (await repository.GetAppAsync(app, ct) is null) return AppEndpoints.AppNotFound(app);
        var saved = await webhooks.PutAsync(app, id, request.Url!, request.Events!, ct);
        if (!saved.WasSuccessful) return TypedResults.ValidationProblem(saved.Errors!);
        var response = WebhookResponse.From(saved.Registration!, saved.Secret);
        return saved.Created
            ? TypedResults.Created($"/api/apps/{Uri.EscapeDataString(app)}/webhooks/{Uri.EscapeDataString(id)}", response)
            : TypedResults.Ok(response);
    }

    internal static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> GetWebhookAsync(
        string app, string id, [FromServices] IWebhookRegistry webhooks, CancellationToken ct) =>
        await webhooks.GetAsync(app, id, ct) is { } w ? TypedResults.Ok(WebhookResponse.From(w)) : WebhookNotFound(app, id);

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteWebhookAsync(
        string app, string id, [FromServices] IWebhookRegistry webhooks, CancellationToken ct) =>
        await webhooks.DeleteAsync(app, id, ct) ? TypedResults.NoContent() : WebhookNotFound(app, id);

    private static ProblemHttpResult WebhookNotFound(string app, string id) =>
        TypedResults.Problem($"App '{app}' has no webhook '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Webhook not found.");
}
