namespace LowCodeTokens.Host;

/// <summary>Host settings in configuration section <c>LowCodeTokens</c> (the engine's section: the data directory comes from the engine's options).</summary>
public sealed class LowCodeHostOptions
{
    /// <summary>The key management endpoints require (<c>LowCodeTokens:AdminKey</c>, env <c>LowCodeTokens__AdminKey</c>).</summary>
    /// <remarks>Required outside Development. In Development, when empty, one is generated into <c>{DataDir}/admin.key</c> and printed at start-up.</remarks>
    public string? AdminKey { get; set; }

    /// <summary>Per-key limits on page loads and action runs (<c>LowCodeTokens:RateLimits</c>).</summary>
    public RateLimiting.RateLimitOptions RateLimits { get; set; } = new();
}
