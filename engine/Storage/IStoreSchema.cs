namespace LowCodeTokens.Engine.Storage;

/// <summary>Creates a store's tables. Idempotent; run at start-up, and again lazily by the store itself.</summary>
internal interface IStoreSchema
{
    Task EnsureCreatedAsync(CancellationToken ct = default);
}
