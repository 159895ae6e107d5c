namespace LowCodeTokens.Engine.Storage;

/// <summary>A lock shared by every host that uses the same store (in-process for SQLite, advisory locks for PostgreSQL).</summary>
public interface IStoreLock
{
    /// <summary>Waits for the named lock; dispose the result to release it.</summary>
    Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken ct = default);
}
