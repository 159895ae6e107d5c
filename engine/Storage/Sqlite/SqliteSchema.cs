namespace LowCodeTokens.Engine.Storage.Sqlite;

/// <summary>The SQLite tables. Every statement is idempotent, so it runs at every start-up.</summary>
internal static class SqliteSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS lct_store_values (
            app   TEXT NOT NULL,
            scope TEXT NOT NULL,
            key   TEXT NOT NULL,
            value TEXT NOT NULL,  -- protected (encrypted) JSON text
            PRIMARY KEY (app, scope, key)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS lct_store_versions (
            app     TEXT NOT NULL,
            scope   TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (app, scope)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS lct_modules (
            id      INTEGER PRIMARY KEY AUTOINCREMENT,  -- publish order
            name    TEXT NOT NULL,
            version TEXT NOT NULL,
            json    TEXT NOT NULL,
            UNIQUE (name, version)
        );
        CREATE TABLE IF NOT EXISTS lct_apps (
            name TEXT NOT NULL PRIMARY KEY,
            json TEXT NOT NULL  -- protected: app definitions carry secret inputs and datasource secrets
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS lct_app_keys (
            key_hash TEXT NOT NULL PRIMARY KEY,
            app      TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS lct_app_keys_app ON lct_app_keys (app);
        """;
}
