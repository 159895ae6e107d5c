namespace LowCodeTokens.Engine.Storage;

/// <summary>The values of <c>LowCodeTokens:Store:Provider</c>.</summary>
internal static class StoreProviders
{
    public const string Setting = "LowCodeTokens:Store:Provider";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static bool IsSqlite(StoreOptions store) => string.Equals(store.Provider, Sqlite, StringComparison.OrdinalIgnoreCase);

    public static bool IsPostgres(StoreOptions store) => string.Equals(store.Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    public static InvalidOperationException Unknown(StoreOptions store) =>
        new($"{Setting} is '{store.Provider}'; expected '{Sqlite}' or '{Postgres}'.");
}
