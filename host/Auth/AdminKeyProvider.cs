using System.Security.Cryptography;
using LowCodeTokens.Engine;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Host.Auth;

/// <summary>The admin key: from configuration, or (Development only) generated once into <c>{DataDir}/admin.key</c>.</summary>
internal sealed partial class AdminKeyProvider
{
    private const string FileName = "admin.key";

    private readonly IOptions<LowCodeHostOptions> _hostOptions;
    private readonly IOptions<LowCodeEngineOptions> _engineOptions;
    private readonly IHostEnvironment _environment;
    private readonly ILogger<AdminKeyProvider> _logger;
    private readonly Lazy<byte[]> _keyHash;

    public AdminKeyProvider(IOptions<LowCodeHostOptions> hostOptions, IOptions<LowCodeEngineOptions> engineOptions,
        IHostEnvironment environment, ILogger<AdminKeyProvider> logger)
    {
        _hostOptions = hostOptions;
        _engineOptions = engineOptions;
        _environment = environment;
        _logger = logger;
        _keyHash = new Lazy<byte[]>(Load);
    }

    /// <summary>Loads (or generates) the key now, so that misconfiguration stops start-up instead of the first request.</summary>
    public void EnsureLoaded() => _ = _keyHash.Value;

    /// <summary>Compares hashes in constant time: equal lengths whatever was presented, no early exit.</summary>
    public bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(ApiKeys.HashBytes(presented), _keyHash.Value);

    /// <summary>Like <see cref="Matches"/> for a key already hashed (the viewer's sign-in ticket keeps only the hash).</summary>
    public bool MatchesHash(ReadOnlySpan<byte> presentedHash) =>
        CryptographicOperations.FixedTimeEquals(presentedHash, _keyHash.Value);

    private byte[] Load()
    {
        var configured = _hostOptions.Value.AdminKey;
        if (!string.IsNullOrWhiteSpace(configured))
            return ApiKeys.HashBytes(configured.Trim());

        if (!_environment.IsDevelopment())
            throw new InvalidOperationException(
                "LowCodeTokens:AdminKey is not configured (env LowCodeTokens__AdminKey). Only Development generates one.");

        var path = Path.Combine(Path.GetFullPath(_engineOptions.Value.DataDir), FileName);
        var key = ReadOrCreate(path);
        // Deliberately the one place a secret is printed: a developer needs it to call the management API.
        LogGeneratedAdminKey(_logger, key, path);
        return ApiKeys.HashBytes(key);
    }

    private static string ReadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
                return existing;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = ApiKeys.Generate();
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(path, options))
            writer.Write(key);
        return key;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin key: {AdminKey} (Development only; stored in {Path}; set LowCodeTokens:AdminKey to choose one)")]
    private static partial void LogGeneratedAdminKey(ILogger logger, string adminKey, string path);
}
