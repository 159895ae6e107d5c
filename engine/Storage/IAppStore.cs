namespace LowCodeTokens.Engine.Storage;

/// <summary>Per (app, scope) key-value store. Values are JSON text; implementations encrypt them at rest.</summary>
public interface IAppStore
{
    Task<StoreSnapshot> ReadAsync(string app, string scope, CancellationToken ct = default);

    /// <summary>Applies the writes in order, atomically; durable when the task completes. Returns the new version.</summary>
    Task<long> ApplyAsync(string app, string scope, IReadOnlyList<StoreWrite> writes, CancellationToken ct = default);

    Task<IReadOnlyList<string>> ListScopesAsync(string app, CancellationToken ct = default);

    Task DeleteAppAsync(string app, CancellationToken ct = default);
}
