namespace LowCodeTokens.Host.Auth;

public static class ApiKeyEndpointExtensions
{
    /// <summary>Requires an <c>X-Api-Key</c> header with the given access; checked before the request body is read.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, ApiKeyAccess access)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new ApiKeyRequirement(access));
        builder.ProducesProblem(StatusCodes.Status401Unauthorized);
        builder.ProducesProblem(StatusCodes.Status403Forbidden);
        return builder;
    }
}
