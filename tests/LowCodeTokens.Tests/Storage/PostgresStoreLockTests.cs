using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Engine.Storage.Postgres;
using Npgsql;

namespace LowCodeTokens.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreLockTests(PostgresFixture postgres) : StoreLockContractTests, IAsyncLifetime
{
    private PostgresStoreLock? _lock;

    private protected override IStoreLock Lock => _lock!;

    public Task InitializeAsync()
    {
        _lock = new PostgresStoreLock(postgres.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lock!.DisposeAsync();

    [Fact]
    public async Task AcquireAsync_HeldByAnotherReplica_WaitsUntilReleased()
    {
        var name = NewName();
        await using var otherReplica = new PostgresStoreLock(postgres.ConnectionString);
        var held = await otherReplica.AcquireAsync(name).WaitAsync(Failsafe);

        var waiting = _lock!.AcquireAsync(name);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);

        await held.DisposeAsync();
        await (await waiting.WaitAsync(Failsafe)).DisposeAsync();
    }

    [Fact]
    public async Task AcquireAsync_HolderConnectionDies_LockIsReleased()
    {
        var name = NewName();
        var application = $"lct-dying-{Guid.NewGuid():N}";
        var dying = new PostgresStoreLock(new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { ApplicationName = application }.ToString());
        var held = await dying.AcquireAsync(name).WaitAsync(Failsafe);
        var waiting = _lock!.AcquireAsync(name);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);

        // What a killed process looks like to the server: its connection ends.
        await using (var admin = new NpgsqlConnection(postgres.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @app", admin);
            kill.Parameters.AddWithValue("app", application);
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        }

        await (await waiting.WaitAsync(Failsafe)).DisposeAsync();
        await held.DisposeAsync(); // releasing over a dead connection must not throw
        await dying.DisposeAsync();
    }
}
