using System.Text;
using LowCodeTokens.Engine.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace LowCodeTokens.Tests.Storage;

/// <summary>The SQLite store as registered by <c>AddLowCodeStorage</c>, with real Data Protection keys in the data directory.</summary>
public sealed class SqliteStorageAtRestTests : IDisposable
{
    private const string Secret = "s3cr3t-refresh-token-9f2c7e";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task DataDirFiles_AfterStoringSecret_DoNotContainIt()
    {
        using (var services = StorageServices.Build(o => o.DataDir = _dir.Path))
        {
            await services.GetRequiredService<IAppStore>().ApplyAsync("crm", "alice", [StoreWrite.Set("authRefreshToken", $"\"{Secret}\"")]);
            await services.GetRequiredService<IDefinitionRepository>().PutAppAsync("crm", $"{{\"clientSecret\":\"{Secret}\"}}");
        }
        SqliteConnection.ClearAllPools();

        var files = Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories);
        var bytes = files.SelectMany(File.ReadAllBytes).ToArray();

        Assert.Contains(files, f => Path.GetFileName(f) == "lowcodetokens.db");
        // The key name is stored in clear: finding it proves the scan reads the data the secret sits beside.
        Assert.True(Contains(bytes, "authRefreshToken"));
        Assert.False(Contains(bytes, Secret));
    }

    [Fact]
    public async Task ReadAsync_NewContainerOnSameDataDir_DecryptsEarlierWrites()
    {
        using (var services = StorageServices.Build(o => o.DataDir = _dir.Path))
            await services.GetRequiredService<IAppStore>().ApplyAsync("crm", "alice", [StoreWrite.Set("token", $"\"{Secret}\"")]);
        SqliteConnection.ClearAllPools();

        using var reopened = StorageServices.Build(o => o.DataDir = _dir.Path);
        var snapshot = await reopened.GetRequiredService<IAppStore>().ReadAsync("crm", "alice");

        Assert.Equal($"\"{Secret}\"", snapshot.Values["token"]);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_dir.Path, "keys"), "*.xml"));
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
