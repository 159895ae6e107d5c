using System.Reflection;
using System.Security.Cryptography;

namespace LowCodeTokens.Engine.Scripting.Node;

/// <summary>Writes the embedded sandbox JavaScript to a folder keyed by its content hash, once per version.</summary>
internal static class NodeScriptFiles
{
    private const string Prefix = "LowCodeTokens.ScriptHost.";
    private static readonly Lazy<string> Directory = new(Extract, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string EntryPoint => Path.Combine(Directory.Value, "host.js");

    private static string Extract()
    {
        var assembly = typeof(NodeScriptFiles).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => (Name: n[Prefix.Length..], Bytes: Read(assembly, n)))
            .ToList();
        if (!files.Any(f => f.Name == "host.js"))
            throw new InvalidOperationException("The script host's JavaScript is not embedded in the engine assembly; rebuild the engine (npm must be available).");

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, bytes) in files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            hash.AppendData(bytes);
        }
        var dir = Path.Combine(Path.GetTempPath(), "lowcodetokens-scripthost", Convert.ToHexString(hash.GetHashAndReset())[..16]);
        if (File.Exists(Path.Combine(dir, ".complete")))
            return dir;

        // Write into a private folder, then move it into place, so concurrent processes never see half a copy.
        var staging = dir + "." + Guid.NewGuid().ToString("N");
        System.IO.Directory.CreateDirectory(staging);
        foreach (var (name, bytes) in files)
            File.WriteAllBytes(Path.Combine(staging, name), bytes);
        File.WriteAllText(Path.Combine(staging, ".complete"), "");
        try
        {
            System.IO.Directory.Move(staging, dir);
        }
        catch (IOException) when (File.Exists(Path.Combine(dir, ".complete")))
        {
            System.IO.Directory.Delete(staging, recursive: true);
        }
        return dir;
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
