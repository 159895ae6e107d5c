using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Host;

/// <summary>
/// A test class's real host (<see cref="EngineHostFactory"/> on a data directory of its own) with its admin client, and an
/// OAuth test server on 127.0.0.1; <see cref="SetUpAsync"/> adds what the class needs (a module, an app).
/// </summary>
public abstract class OAuthHostTest : IAsyncLifetime
{
    protected string DataDir { get; } = Directory.CreateTempSubdirectory("lct-host-").FullName;
    private protected OAuthTestServer OAuth { get; private set; } = null!;
    private protected EngineHostFactory HostFactory { get; private set; } = null!;
    protected HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        OAuth = await OAuthTestServer.StartNewAsync();
        HostFactory = CreateHostFactory();
        Admin = HostFactory.Admin();
        await SetUpAsync();
    }

    protected virtual Task SetUpAsync() => Task.CompletedTask;

    /// <summary>The host over <see cref="DataDir"/>; a class overrides it for settings or services of its own.</summary>
    private protected virtual EngineHostFactory CreateHostFactory() => new(DataDir);

    public virtual async Task DisposeAsync()
    {
        await HostFactory.DisposeAsync();
        await OAuth.DisposeAsync();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
