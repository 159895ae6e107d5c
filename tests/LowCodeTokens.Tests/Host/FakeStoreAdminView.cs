using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LowCodeTokens.Host;

namespace LowCodeTokens.Tests.Host;

/// <summary>Answers a fixed masked store and records the scopes asked for.</summary>
internal sealed class FakeStoreAdminView : IStoreAdminView
{
    public ConcurrentQueue<(string App, string Scope)> Requests { get; } = new();

    public Task<JsonObject> GetAsync(string app, string scope, CancellationToken ct = default)
    {
        Requests.Enqueue((app, scope));
        return Task.FromResult(new JsonObject { ["authToken"] = "eyJ***", ["scope"] = scope });
    }
}
