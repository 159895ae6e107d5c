using LowCodeTokens.Engine.Definitions;

namespace LowCodeTokens.Host.Definitions;

/// <summary><c>GET /schemas/module.json</c> and <c>GET /schemas/app.json</c>: the definition files' JSON Schemas, anonymous (they hold no data).</summary>
public static class SchemaEndpoints
{
    public const string ContentType = "application/schema+json";

    public static RouteGroupBuilder MapDefinitionSchemas(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/schemas").WithTags("Schemas");
        group.MapGet("/module.json", () => TypedResults.Text(DefinitionSchemas.Module, ContentType))
            .WithName("GetModuleSchema").WithSummary("JSON Schema of module.json");
        group.MapGet("/app.json", () => TypedResults.Text(DefinitionSchemas.App, ContentType))
            .WithName("GetAppSchema").WithSummary("JSON Schema of app.json");
        return group;
    }
}
