using System.Text.Json.Nodes;

namespace LowCodeTokens.Host;

/// <summary>The admin view of one (app, scope) store behind <c>GET /api/apps/{app}/store</c>.</summary>
/// <remarks>Implemented beside the store: values must come back with secrets and token-like strings masked.</remarks>
public interface IStoreAdminView
{
    /// <summary>The persisted values of the scope, keyed by store key, masked. Only called for an app that exists.</summary>
    Task<JsonObject> GetAsync(string app, string scope, CancellationToken ct = default);
}
