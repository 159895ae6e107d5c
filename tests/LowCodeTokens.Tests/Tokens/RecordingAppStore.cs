using LowCodeTokens.Engine.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LowCodeTokens.Tests.Tokens;

/// <summary>The engine's real store, with every persisted write recorded in the order it was applied.</summary>
public sealed class RecordingAppStore(IAppStore inner) : IAppStore
{
    private readonly Lock _gate = new();
    private readonly List<StoreWrite> _writes = [];

    /// <summary>Wraps the <see cref="IAppStore"/> registered in <paramref name="services"/>.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IAppStore));
        services.Replace(ServiceDescriptor.Singleton<IAppStore>(sp => new RecordingAppStore(registered switch
        {
            { ImplementationFactory: { } factory } => (IAppStore)factory(sp),
            { ImplementationInstance: IAppStore instance } => instance,
            _ => (IAppStore)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!),
        })));
    }

    public IReadOnlyList<StoreWrite> Writes
    {
        get { lock (_gate) return _writes.ToArray(); }
    }

    public void ClearWrites()
    {
        lock (_gate) _writes.Clear();
    }

    public Task<StoreSnapshot> ReadAsync(string app, string scope, CancellationToken ct = default) => inner.ReadAsync(app, scope, ct);

    public async Task<long> ApplyAsync(string app, string scope, IReadOnlyList<StoreWrite> writes, CancellationToken ct = default)
    {
        var version = await inner.ApplyAsync(app, scope, writes, ct);
        lock (_gate) _writes.AddRange(writes);
        return version;
    }

    public Task<IReadOnlyList<string>> ListScopesAsync(string app, CancellationToken ct = default) => inner.ListScopesAsync(app, ct);

    public Task DeleteAppAsync(string app, CancellationToken ct = default) => inner.DeleteAppAsync(app, ct);
}
