namespace LowCodeTokens.Engine.Storage;

public enum StoreWriteKind { Set, Remove, Clear }

/// <summary>One persisted store operation made by a script: set (with JSON text), remove, or clear.</summary>
public sealed record StoreWrite(StoreWriteKind Kind, string? Key = null, string? Json = null)
{
    public static StoreWrite Set(string key, string json) => new(StoreWriteKind.Set, key, json);
    public static StoreWrite Remove(string key) => new(StoreWriteKind.Remove, key);
    public static readonly StoreWrite Clear = new(StoreWriteKind.Clear);
}
