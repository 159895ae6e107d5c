using System.Text.Json;
using FluentValidation;

namespace LowCodeTokens.Host.Validation;

/// <summary>Validates the endpoint's <typeparamref name="T"/> argument; a failure is a 400 ValidationProblem keyed by camelCase field path.</summary>
internal sealed class ValidationFilter<T>(IValidator<T> validator) : IEndpointFilter
    where T : class
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        // An optional body that was not sent is null: nothing to validate, the endpoint applies its defaults.
        if (context.Arguments.OfType<T>().FirstOrDefault() is { } argument)
        {
            var result = await validator.ValidateAsync(argument, context.HttpContext.RequestAborted);
            if (!result.IsValid)
            {
                var errors = result.Errors
                    .GroupBy(e => FieldPath(e.PropertyName))
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
                return TypedResults.ValidationProblem(errors, title: "The request is not valid.");
            }
        }
        return await next(context);
    }

    private static string FieldPath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
}
