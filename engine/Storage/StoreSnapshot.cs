namespace LowCodeTokens.Engine.Storage;

/// <summary>The persisted store of one (app, scope): values as JSON text, and a version that changes with every write.</summary>
public sealed record StoreSnapshot(long Version, IReadOnlyDictionary<string, string> Values)
{
    public static readonly StoreSnapshot Empty = new(0, new Dictionary<string, string>());
}
