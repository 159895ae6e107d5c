using System.Net;

namespace LowCodeTokens.Engine.Queries;

/// <summary>Thrown by the connect callback when a host resolves to an address queries may not reach.</summary>
/// <remarks>It surfaces as the inner exception of an <see cref="HttpRequestException"/>; the executor turns it into a result.</remarks>
internal sealed class QueryAddressRefusedException(string host, IPAddress address, string reason)
    : Exception($"{host} resolves to {address}, {reason}, which queries may not reach.")
{
    public string Host { get; } = host;
    public IPAddress Address { get; } = address;
    public string Reason { get; } = reason;
}
