using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace LowCodeTokens.Engine.Storage.Postgres;

/// <summary>
/// Data Protection keys in the shared database, so every replica encrypts and decrypts store values with the same key ring
/// (keys in each replica's own data directory would leave values written by one replica unreadable by the others).
/// </summary>
/// <remarks>
/// Synchronous because <see cref="IXmlRepository"/> is; Data Protection calls it only when it loads or rotates the key ring.
/// Keys are stored as Data Protection hands them over (unencrypted unless the host configures a key encryptor), as with file keys.
/// </remarks>
internal sealed class PostgresXmlRepository(string connectionString) : IXmlRepository
{
    private const string CreateSql = """
        SELECT pg_advisory_xact_lock(hashtext('lowcodetokens:schema'));
        CREATE TABLE IF NOT EXISTS lct_dataprotection_keys (
            id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            friendly_name text,
            xml           text NOT NULL
        );
        """;

    private volatile bool _tableReady;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = Open();
        using var command = new NpgsqlCommand("SELECT xml FROM lct_dataprotection_keys ORDER BY id", connection);
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
            elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = Open();
        using var command = new NpgsqlCommand("INSERT INTO lct_dataprotection_keys (friendly_name, xml) VALUES (@name, @xml)", connection);
        command.Parameters.AddWithValue("name", friendlyName);
        command.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }

    private NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            connection.Open();
            if (!_tableReady)
            {
                // The key ring can be needed before the store's own start-up schema step has run.
                using var transaction = connection.BeginTransaction();
                using (var create = new NpgsqlCommand(CreateSql, connection, transaction))
                    create.ExecuteNonQuery();
                transaction.Commit();
                _tableReady = true;
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
