using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Engine.Tokens;

namespace LowCodeTokens.Host.Store;

/// <summary>The admin view of a store: every value, with secrets and token-like strings masked.</summary>
internal sealed class StoreAdminView(IAppStore store) : IStoreAdminView
{
    public async Task<JsonObject> GetAsync(string app, string scope, CancellationToken ct = default)
    {
        var snapshot = await store.ReadAsync(app, scope, ct);
        return new JsonObject { ["app"] = app, ["scope"] = scope, ["version"] = snapshot.Version, ["values"] = StoreMasking.Mask(snapshot.Values) };
    }
}
