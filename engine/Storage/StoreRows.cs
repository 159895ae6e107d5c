using System.Data.Common;

namespace LowCodeTokens.Engine.Storage;

/// <summary>Row reading shared by the SQLite and PostgreSQL stores (same result shapes, different SQL).</summary>
internal static class StoreRows
{
    /// <summary>Rows of (version, key or null, protected value), as both providers' read query returns them.</summary>
    public static async Task<StoreSnapshot> ReadSnapshotAsync(DbDataReader reader, IValueProtector protector, CancellationToken ct)
    {
        long version = 0;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            version = reader.GetInt64(0);
            if (!reader.IsDBNull(1))
                values[reader.GetString(1)] = protector.Unprotect(reader.GetString(2));
        }
        return version == 0 ? StoreSnapshot.Empty : new StoreSnapshot(version, values);
    }

    /// <summary>The first column of every row.</summary>
    public static async Task<IReadOnlyList<string>> ReadStringsAsync(DbCommand command, CancellationToken ct)
    {
        var result = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            result.Add(reader.GetString(0));
        return result;
    }
}
