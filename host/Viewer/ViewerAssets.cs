using System.Collections.Frozen;

namespace LowCodeTokens.Host.Viewer;

/// <summary>The viewer's static files, embedded in the host assembly (no wwwroot to deploy, no front-end build).</summary>
internal static class ViewerAssets
{
    public sealed record Asset(byte[] Content, string ContentType);

    private static readonly FrozenDictionary<string, Asset> Assets = new Dictionary<string, Asset>
    {
        ["viewer.html"] = Load("viewer.html", "text/html; charset=utf-8"),
        ["viewer.js"] = Load("viewer.js", "text/javascript; charset=utf-8"),
        ["viewer.css"] = Load("viewer.css", "text/css; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The script and the style sheet; the page itself only through the signed-in route.</summary>
    public static Asset? Find(string file) => file is "viewer.js" or "viewer.css" ? Assets[file] : null;

    public static Asset Page => Assets["viewer.html"];

    private static Asset Load(string name, string contentType)
    {
        using var stream = typeof(ViewerAssets).Assembly.GetManifestResourceStream($"LowCodeTokens.Host.Viewer.{name}")
            ?? throw new InvalidOperationException($"The viewer asset {name} is not embedded in the host assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new Asset(buffer.ToArray(), contentType);
    }
}
