using Microsoft.Data.Sqlite;

namespace LowCodeTokens.Tests.Storage;

/// <summary>A fresh directory under the system temp folder, deleted (with pooled SQLite handles closed) on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("lct-storage-").FullName;

    public void Dispose()
    {
        // Pooled connections keep the database open; close them so WAL files are checkpointed and removable.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Another test's pooled handle can still be closing; a leftover temp folder is not worth a failed test.
        }
    }
}
