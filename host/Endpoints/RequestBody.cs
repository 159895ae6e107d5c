using System.Text;

namespace LowCodeTokens.Host.Endpoints;

internal static class RequestBody
{
    /// <summary>The raw body as text: definitions are validated by the engine, which reports problems with file, line and column.</summary>
    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(ct);
    }
}
