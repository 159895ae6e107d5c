using System.Net;

namespace LowCodeTokens.Engine.Queries;

internal sealed class DnsHostAddressResolver : IHostAddressResolver
{
    public async ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
}
