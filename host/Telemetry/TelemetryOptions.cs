namespace LowCodeTokens.Host.Telemetry;

/// <summary>Configuration section <c>LowCodeTokens:Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "LowCodeTokens:Telemetry";

    /// <summary>
    /// True: <c>/metrics</c> answers without a key. False (default): it needs the admin key in <c>X-Api-Key</c>, unless the
    /// caller's address is in <see cref="MetricsAllowedNetworks"/>.
    /// </summary>
    public bool MetricsOpen { get; set; }

    /// <summary>Networks (CIDR, e.g. <c>10.0.0.0/8</c>, <c>127.0.0.1/32</c>) whose callers scrape <c>/metrics</c> without a key.</summary>
    public List<string> MetricsAllowedNetworks { get; set; } = [];

    /// <summary>
    /// Record spans (page load → layer → action → query → HTTP client). On by itself when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
    /// set, where they are exported; off otherwise, so that nobody pays for spans nobody reads.
    /// </summary>
    public bool Traces { get; set; }
}
