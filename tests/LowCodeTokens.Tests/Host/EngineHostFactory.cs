using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LowCodeTokens.Tests.Host;

/// <summary>
/// The real host with the real engine over <paramref name="dataDir"/>: SQLite, or the PostgreSQL database of that directory
/// when the tests run on PostgreSQL (<see cref="TestStore"/>); <paramref name="settings"/> override either.
/// </summary>
internal sealed class EngineHostFactory(string dataDir, Action<IServiceCollection>? configureServices = null, IDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    public const string AdminKey = "engine-admin-key-0123456789";

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    /// <summary>Serves on Kestrel at a free port of 127.0.0.1 (a browser or a socket-level client needs one); returns the base URL.</summary>
    public string StartOnKestrel()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return address.Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("LowCodeTokens:AdminKey", AdminKey);
        builder.UseSetting("LowCodeTokens:DataDir", dataDir);
        builder.UseSetting("LowCodeTokens:Demo", "false");
        // The tests' upstreams listen on 127.0.0.1, which queries may reach only when the operator allows it.
        builder.UseSetting("LowCodeTokens:Queries:AllowLoopback", "true");
        if (settings is null || !settings.ContainsKey("LowCodeTokens:Store:Provider"))
            foreach (var (key, value) in TestStore.SettingsFor(dataDir))
                builder.UseSetting(key, value);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            builder.UseSetting(key, value);
        if (configureServices is not null) builder.ConfigureTestServices(configureServices);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
