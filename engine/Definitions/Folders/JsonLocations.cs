using System.Text;
using System.Text.Json;

namespace LowCodeTokens.Engine.Definitions.Folders;

/// <summary>
/// Where each value of a JSON file starts (1-based line and column, in characters), by field path as problems name them
/// (<c>pages[0].queries[1].url</c>), read from the text as written: what turns a validator's field path into a location
/// an editor can jump to.
/// </summary>
internal sealed class JsonLocations
{
    private readonly byte[] _utf8;
    private readonly List<int> _lineStarts = [0];
    private readonly Dictionary<string, int> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _valuesIgnoringCase = new(StringComparer.OrdinalIgnoreCase);

    private JsonLocations(string text)
    {
        _utf8 = Encoding.UTF8.GetBytes(text);
        for (int i = 0; i < _utf8.Length; i++)
            if (_utf8[i] == (byte)'\n') _lineStarts.Add(i + 1);
    }

    /// <summary>Reads <paramref name="text"/>; null with the syntax error's location when it is not JSON (comments and trailing commas allowed).</summary>
    public static JsonLocations? Read(string text, out SourceLocation? syntaxError, out string? message)
    {
        var locations = new JsonLocations(text);
        syntaxError = null;
        message = null;
        try
        {
            locations.Index();
            return locations;
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0);
            syntaxError = locations.AtLineByte(line, (int)(e.BytePositionInLine ?? 0));
            message = TrimTrailer(e.Message);
            return null;
        }
    }

    private void Index()
    {
        var reader = new Utf8JsonReader(_utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var path = new List<(string? Property, int Index)>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    path[^1] = (reader.GetString(), -1);
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    continue;
            }
            if (path.Count > 0 && path[^1].Property is null) path[^1] = (null, path[^1].Index + 1);
            var key = Format(path);
            _values.TryAdd(key, (int)reader.TokenStartIndex);
            _valuesIgnoringCase.TryAdd(key, (int)reader.TokenStartIndex);
            if (reader.TokenType == JsonTokenType.StartObject) path.Add(("", -1));
            else if (reader.TokenType == JsonTokenType.StartArray) path.Add((null, -1));
        }
    }

    private static string Format(List<(string? Property, int Index)> path)
    {
        var text = new StringBuilder();
        foreach (var (property, index) in path)
        {
            if (property is null) text.Append('[').Append(index).Append(']');
            else text.Append(text.Length > 0 ? "." : "").Append(property);
        }
        return text.Length == 0 ? "$" : text.ToString();
    }

    /// <summary>
    /// The value at <paramref name="fieldPath"/>, or the nearest enclosing value that exists (a problem may name a member
    /// the file leaves out, e.g. a missing <c>url</c>: the query object is then the place to look).
    /// </summary>
    public SourceLocation Find(string? fieldPath)
    {
        var path = string.IsNullOrEmpty(fieldPath) ? "$" : fieldPath;
        while (true)
        {
            if (_values.TryGetValue(path, out var offset) || _valuesIgnoringCase.TryGetValue(path, out offset)) return At(offset);
            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0) return _values.TryGetValue("$", out var root) ? At(root) : new SourceLocation(1, 1);
            path = path[..cut];
        }
    }

    /// <summary>
    /// The location in this file of <paramref name="line"/>:<paramref name="column"/> of the string value at
    /// <paramref name="fieldPath"/> once decoded (JS code held inline in a JSON string); a JSON string has no raw line
    /// breaks, so the file line is the token's and the column counts the escapes as written.
    /// </summary>
    public SourceLocation FindInString(string fieldPath, int line, int column)
    {
        if (!_values.TryGetValue(fieldPath, out var offset) || _utf8[offset] != (byte)'"') return Find(fieldPath);
        var start = At(offset);
        var raw = Encoding.UTF8.GetString(_utf8, offset + 1, _utf8.Length - offset - 1);
        int decodedLine = 1, decodedColumn = 1, i = 0;
        while (i < raw.Length && raw[i] != '"' && (decodedLine < line || (decodedLine == line && decodedColumn < column)))
        {
            if (raw[i] == '\\' && i + 1 < raw.Length)
            {
                var escaped = raw[i + 1];
                i += escaped == 'u' ? 6 : 2;
                if (escaped == 'n') { decodedLine++; decodedColumn = 1; }
                else decodedColumn++;
            }
            else
            {
                i++;
                decodedColumn++;
            }
        }
        return new SourceLocation(start.Line, start.Column + 1 + i);
    }

    private SourceLocation At(int byteOffset)
    {
        var index = _lineStarts.BinarySearch(byteOffset);
        var line = index >= 0 ? index : ~index - 1;
        return new SourceLocation(line + 1, Encoding.UTF8.GetCharCount(_utf8, _lineStarts[line], byteOffset - _lineStarts[line]) + 1);
    }

    /// <summary>System.Text.Json's 0-based line and byte position in it, as a location.</summary>
    public SourceLocation AtLineByte(int zeroBasedLine, int bytePosition)
    {
        if (zeroBasedLine >= _lineStarts.Count) return new SourceLocation(zeroBasedLine + 1, bytePosition + 1);
        var start = _lineStarts[zeroBasedLine];
        var length = Math.Clamp(bytePosition, 0, _utf8.Length - start);
        return new SourceLocation(zeroBasedLine + 1, Encoding.UTF8.GetCharCount(_utf8, start, length) + 1);
    }

    /// <summary>System.Text.Json appends "LineNumber: … | BytePositionInLine: …" to its messages; the location says that.</summary>
    public static string TrimTrailer(string message)
    {
        foreach (var marker in new[] { " Path: ", " LineNumber: " })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0) message = message[..cut];
        }
        return message.TrimEnd();
    }
}

/// <summary>A 1-based line and column in a file.</summary>
internal readonly record struct SourceLocation(int Line, int Column);
