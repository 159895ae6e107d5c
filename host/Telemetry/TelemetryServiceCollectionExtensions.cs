using FluentValidation;
using LowCodeTokens.Engine.Telemetry;
using LowCodeTokens.Host.Contracts;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LowCodeTokens.Host.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The standard OpenTelemetry variable that turns the OTLP exporter on (metrics and traces).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Metrics of the engine's meter for the Prometheus endpoint (always: it is guarded by the admin key), OTLP export of
    /// metrics and traces when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and the token routes' validators.
    /// </summary>
    public static IServiceCollection AddLowCodeTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section));
        services.TryAddSingleton<IValidator<TokenEventsQuery>, TokenEventsQueryValidator>();
        services.TryAddSingleton<IValidator<WebhookRequest>, WebhookRequestValidator>();

        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
        var traces = otlp || configuration.GetValue<bool>($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.Traces)}");
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("LowCodeTokens"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(LowCodeTelemetry.MeterName).AddPrometheusExporter();
                if (otlp) metrics.AddOtlpExporter();
            });
        if (!traces) return services;
        telemetry.WithTracing(tracing =>
        {
            // The host reads no trace context from callers (Tracing/LocalTraceContextPropagator): with the W3C propagator as
            // OpenTelemetry's default, its ASP.NET Core instrumentation keeps the request activity that decision made, and
            // its HTTP client instrumentation leaves the traceparent to the runtime (no baggage).
            Sdk.SetDefaultTextMapPropagator(new TraceContextPropagator());
            tracing.AddSource(LowCodeTelemetry.ActivitySourceName)
                // No query string in any span: a URL's query may carry a key (?key= of the viewer's sign-in) or a token.
                .AddAspNetCoreInstrumentation(o => o.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null))
                .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (activity, request) =>
                {
                    if (request.RequestUri is { IsAbsoluteUri: true } uri) activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Path));
                });
            if (otlp) tracing.AddOtlpExporter();
        });
        return services;
    }
}
