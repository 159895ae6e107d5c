using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LowCodeTokens.Engine.Queries;

/// <summary>Reads a response into <see cref="QueryResult"/> pieces: flattened headers and a bounded body as <c>Q.data</c> JSON.</summary>
internal static class QueryResponseReader
{
    // Q.data is consumed by scripts, not embedded in HTML: keep non-ASCII text readable.
    private static readonly JsonSerializerOptions StringOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Dictionary<string, string> FlattenHeaders(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            headers[name] = string.Join(", ", values);
        }

        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            headers[name] = string.Join(", ", values);
        }

        return headers;
    }

    public static async Task<QueryResponseBody> ReadAsync(HttpContent content, long maxBytes, CancellationToken ct)
    {
        if (content.Headers.ContentLength > maxBytes)
        {
            return new QueryResponseBody("", "null", TooLarge: true);
        }

        var bytes = await ReadBoundedAsync(content, maxBytes, ct);
        if (bytes is null)
        {
            return new QueryResponseBody("", "null", TooLarge: true);
        }

        var text = Decode(bytes, content.Headers.ContentType?.CharSet);
        var dataJson = IsJson(content.Headers.ContentType?.MediaType) && TryReserialize(bytes, text, out var json)
            ? json
            : JsonSerializer.Serialize(text, StringOptions);
        return new QueryResponseBody(text, dataJson, TooLarge: false);
    }

    private static async Task<byte[]?> ReadBoundedAsync(HttpContent content, long maxBytes, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > maxBytes) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static bool IsJson(string? mediaType) =>
        mediaType is not null
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static bool TryReserialize(byte[] bytes, string text, out string json)
    {
        json = "";
        if (text.Length == 0) return false;
        try
        {
            // The decoded text, not the raw bytes: a JSON body in a declared non-UTF-8 charset still parses.
            using var document = JsonDocument.Parse(text);
            using var output = new MemoryStream(bytes.Length);
            using (var writer = new Utf8JsonWriter(output, WriterOptions))
            {
                document.WriteTo(writer);
            }

            json = Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Decode(byte[] bytes, string? charset)
    {
        var encoding = Encoding.UTF8;
        if (!string.IsNullOrWhiteSpace(charset))
        {
            try
            {
                encoding = Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // Unknown charset: UTF-8 is the best guess for a web API.
            }
        }

        var text = encoding.GetString(bytes);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }
}
