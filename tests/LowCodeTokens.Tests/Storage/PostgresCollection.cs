namespace LowCodeTokens.Tests.Storage;

/// <summary>One PostgreSQL server for every PostgreSQL test class.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
