namespace LowCodeTokens.Engine.Storage;

/// <summary>Checks and encrypts a batch of store writes; shared by the SQLite and PostgreSQL stores.</summary>
internal static class StoreWrites
{
    /// <summary>The protected value of each Set, at the same index as its write (null for Remove and Clear).</summary>
    /// <exception cref="ArgumentException">A Set or Remove without a key, or a Set without JSON (a caller bug).</exception>
    public static string?[] Protect(IReadOnlyList<StoreWrite> writes, IValueProtector protector)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var result = new string?[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i] ?? throw new ArgumentException($"Write {i} is null.", nameof(writes));
            switch (write.Kind)
            {
                case StoreWriteKind.Set:
                    if (write.Key is null || write.Json is null)
                        throw new ArgumentException($"Write {i}: Set needs a key and JSON.", nameof(writes));
                    result[i] = protector.Protect(write.Json);
                    break;
                case StoreWriteKind.Remove:
                    if (write.Key is null)
                        throw new ArgumentException($"Write {i}: Remove needs a key.", nameof(writes));
                    break;
                case StoreWriteKind.Clear:
                    break;
                default:
                    throw new ArgumentException($"Write {i}: unknown kind {write.Kind}.", nameof(writes));
            }
        }
        return result;
    }
}
