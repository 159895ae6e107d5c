using System.Diagnostics;

namespace LowCodeTokens.Engine.Telemetry;

/// <summary>
/// The names under which the engine publishes its metrics (one <c>Meter</c>) and traces (one <see cref="ActivitySource"/>),
/// for an OpenTelemetry SDK or a <c>MeterListener</c> to subscribe to. Tags and attributes carry the app, module instance,
/// grant type and outcome only: never a scope, a token, a secret input or a query string.
/// </summary>
public static class LowCodeTelemetry
{
    public const string MeterName = "LowCodeTokens";
    public const string ActivitySourceName = "LowCodeTokens";

    /// <summary>Spans of page loads, layers, actions, queries and module calls. Costs nothing while nobody listens.</summary>
    public static readonly ActivitySource Source = new(ActivitySourceName);
}
