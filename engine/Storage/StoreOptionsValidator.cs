using Microsoft.Extensions.Options;

namespace LowCodeTokens.Engine.Storage;

/// <summary>Rejects an unknown store provider, or PostgreSQL without a connection string, when the host starts.</summary>
internal sealed class StoreOptionsValidator : IValidateOptions<LowCodeEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, LowCodeEngineOptions options)
    {
        if (StoreProviders.IsSqlite(options.Store))
            return string.IsNullOrWhiteSpace(options.DataDir) && string.IsNullOrWhiteSpace(options.Store.ConnectionString)
                ? ValidateOptionsResult.Fail("LowCodeTokens:DataDir is empty and no LowCodeTokens:Store:ConnectionString is set.")
                : ValidateOptionsResult.Success;
        if (StoreProviders.IsPostgres(options.Store))
            return string.IsNullOrWhiteSpace(options.Store.ConnectionString)
                ? ValidateOptionsResult.Fail("LowCodeTokens:Store:ConnectionString is required when LowCodeTokens:Store:Provider is 'postgres'.")
                : ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(StoreProviders.Unknown(options.Store).Message);
    }
}
