using System.Net;

namespace LowCodeTokens.Engine.Queries;

/// <summary>Resolves a host name for the query connect callback; replaceable so tests can play DNS tricks.</summary>
internal interface IHostAddressResolver
{
    ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
}
