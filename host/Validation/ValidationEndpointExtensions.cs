namespace LowCodeTokens.Host.Validation;

public static class ValidationEndpointExtensions
{
    /// <summary>Validates the <typeparamref name="T"/> argument with its registered FluentValidation validator before the handler runs.</summary>
    public static RouteHandlerBuilder WithValidation<T>(this RouteHandlerBuilder builder)
        where T : class =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();
}
