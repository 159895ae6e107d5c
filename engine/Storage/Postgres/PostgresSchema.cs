namespace LowCodeTokens.Engine.Storage.Postgres;

/// <summary>The PostgreSQL tables. Idempotent, and run under a transaction-scoped advisory lock because
/// <c>CREATE TABLE IF NOT EXISTS</c> is not safe when several replicas start at the same moment.</summary>
internal static class PostgresSchema
{
    public const string Create = """
        SELECT pg_advisory_xact_lock(hashtext('lowcodetokens:schema'));
        CREATE TABLE IF NOT EXISTS lct_store_values (
            app   text NOT NULL,
            scope text NOT NULL,
            key   text NOT NULL,
            value text NOT NULL,  -- protected (encrypted) JSON text
            PRIMARY KEY (app, scope, key)
        );
        CREATE TABLE IF NOT EXISTS lct_store_versions (
            app     text   NOT NULL,
            scope   text   NOT NULL,
            version bigint NOT NULL,
            PRIMARY KEY (app, scope)
        );
        CREATE TABLE IF NOT EXISTS lct_modules (
            id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- publish order
            name    text NOT NULL,
            version text NOT NULL,
            json    text NOT NULL,
            UNIQUE (name, version)
        );
        CREATE TABLE IF NOT EXISTS lct_apps (
            name text PRIMARY KEY,
            json text NOT NULL  -- protected: app definitions carry secret inputs and datasource secrets
        );
        CREATE TABLE IF NOT EXISTS lct_app_keys (
            key_hash text PRIMARY KEY,
            app      text NOT NULL
        );
        CREATE INDEX IF NOT EXISTS lct_app_keys_app ON lct_app_keys (app);
        """;
}
