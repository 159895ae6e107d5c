using LowCodeTokens.Host.Auth;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LowCodeTokens.Host.OpenApi;

/// <summary>Declares the <c>X-Api-Key</c> scheme and marks the operations that require it.</summary>
internal static class ApiKeySecurity
{
    private const string SchemeId = "ApiKey";

    public static OpenApiOptions AddApiKeySecurity(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeys.HeaderName,
                Description = "The admin key, or for loading pages and running actions, the app's key.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var requirement = context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiKeyRequirement>().LastOrDefault();
            if (requirement is not null)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [],
                });
            }
            return Task.CompletedTask;
        });
        return options;
    }
}
