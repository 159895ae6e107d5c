using Microsoft.Extensions.Options;

namespace LowCodeTokens.Engine.Storage;

/// <summary>Rejects an unknown store provider, PostgreSQL without a connection string, or store size limits that contradict each other, when the host starts.</summary>
internal sealed class StoreOptionsValidator : IValidateOptions<LowCodeEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, LowCodeEngineOptions options)
    {
        if (options.Store.MaxValueBytes < 1024)
            return ValidateOptionsResult.Fail($"LowCodeTokens:Store:MaxValueBytes must be at least 1024 (is {options.Store.MaxValueBytes}).");
        if (options.Store.MaxScopeBytes < options.Store.MaxValueBytes)
            return ValidateOptionsResult.Fail(
                $"LowCodeTokens:Store:MaxScopeBytes ({options.Store.MaxScopeBytes}) must not be smaller than Store:MaxValueBytes ({options.Store.MaxValueBytes}).");
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
