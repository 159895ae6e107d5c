using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Engine.Queries;

/// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/> of the query client: resolves, refuses, connects.</summary>
/// <remarks>
/// Checking addresses here rather than on the URL is what defeats DNS tricks (a name that resolves to
/// 169.254.169.254, rebinding between check and use): the address judged is the address connected to,
/// and the peer address of the connected socket is judged once more.
/// </remarks>
internal sealed class QueryConnector(IHostAddressResolver resolver, IOptions<LowCodeEngineOptions> options)
{
    public ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct) =>
        ConnectAsync(context.DnsEndPoint, ct);

    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, CancellationToken ct)
    {
        var addresses = await resolver.ResolveAsync(endPoint.Host, ct);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        // A name with one refused address among good ones is refused as a whole: no answer order to game.
        foreach (var address in addresses)
        {
            ThrowIfRefused(endPoint.Host, address);
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), ct);
                ThrowIfRefused(endPoint.Host, ((IPEndPoint)socket.RemoteEndPoint!).Address);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    private void ThrowIfRefused(string host, IPAddress address)
    {
        if (QueryAddressPolicy.RefusalReason(address, options.Value.Queries) is { } reason)
        {
            throw new QueryAddressRefusedException(host, address, reason);
        }
    }
}
