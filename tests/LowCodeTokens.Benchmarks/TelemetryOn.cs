using System.Diagnostics;
using LowCodeTokens.Engine.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LowCodeTokens.Benchmarks;

/// <summary>
/// The engine's metrics and traces switched on as an operator would (OpenTelemetry SDK: the engine's meter, its
/// ActivitySource and the HTTP client instrumentation, and <see cref="HostRequest"/>'s stand-in for the ASP.NET Core instrumentation's
/// server span), exporting to memory; disposing switches them off again.
/// </summary>
internal sealed class TelemetryOn : IDisposable
{
    private readonly MeterProvider? _meters;
    private readonly TracerProvider? _tracer;

    /// <summary>Every span exported; only the latest 1,000 are kept, as a real exporter lets go of what it sent.</summary>
    public Recent<Activity> Spans { get; } = new(1_000);
    public List<Metric> Metrics { get; } = [];

    /// <param name="metrics">Collect the engine's meter.</param>
    /// <param name="tracing">Trace its ActivitySource.</param>
    /// <param name="httpClient">Trace the HTTP client too (with <paramref name="tracing"/>).</param>
    /// <param name="export">Export the spans to <see cref="Spans"/> (with <paramref name="tracing"/>); without, they are sampled and dropped.</param>
    /// <param name="sampled">The share of page loads traced (parent-based, by trace id), as <c>OTEL_TRACES_SAMPLER_ARG</c> would set it.</param>
    /// <remarks>The switches tell the costs apart (<c>-- profile telemetry-parts</c>); the suites use all of them.</remarks>
    public TelemetryOn(bool metrics = true, bool tracing = true, bool httpClient = true, bool export = true, double sampled = 1)
    {
        if (metrics) _meters = Sdk.CreateMeterProviderBuilder().AddMeter(LowCodeTelemetry.MeterName).AddInMemoryExporter(Metrics).Build();
        if (!tracing) return;
        var builder = Sdk.CreateTracerProviderBuilder().AddSource(LowCodeTelemetry.ActivitySourceName, HostRequest.Source.Name);
        if (sampled < 1) builder = builder.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(sampled)));
        if (httpClient) builder = builder.AddHttpClientInstrumentation();
        if (export) builder = builder.AddInMemoryExporter(Spans);
        _tracer = builder.Build();
    }

    public void Dispose()
    {
        _tracer?.Dispose();
        _meters?.Dispose();
    }
}

/// <summary>
/// The request activity the host runs every page load under. ASP.NET Core's hosting starts one for each request whenever logging is
/// enabled (the host's default), even when nobody listens: then HttpClient takes its activity path for each query (its own
/// activity, <c>traceparent</c>) with telemetry off too (<c>OutgoingRequestTests</c> pins that). With tracing on, the ASP.NET Core
/// instrumentation samples that activity as the server span; this source stands in for it (<see cref="TelemetryOn"/> listens to it).
/// </summary>
internal static class HostRequest
{
    public static readonly ActivitySource Source = new("LowCodeTokens.Benchmarks.HostRequest");

    /// <summary>Starts the request activity, with the tags hosting gives it at the start and sets at the end.</summary>
    public static Activity Start()
    {
        var tags = new TagList
        {
            { "server.address", "127.0.0.1" }, { "server.port", 5000 }, { "http.request.method", "POST" }, { "url.scheme", "http" },
            { "url.path", "/api/apps/crm/pages/Home/load" }, { "network.protocol.version", "1.1" },
        };
        var activity = Source.StartActivity(ActivityKind.Server, tags: tags, name: "POST /api/apps/{app}/pages/{page}/load");
        if (activity is null)
        {
            activity = new Activity("Microsoft.AspNetCore.Hosting.HttpRequestIn");
            foreach (var tag in tags) activity.SetTag(tag.Key, tag.Value);
            activity.Start();
        }
        activity.SetTag("http.route", "/api/apps/{app}/pages/{page}/load");
        activity.SetTag("http.response.status_code", 200);
        return activity;
    }
}

/// <summary>A collection that counts everything added and keeps the latest <c>capacity</c> items.</summary>
internal sealed class Recent<T>(int capacity) : ICollection<T>
{
    private readonly Queue<T> _items = new();
    public long Added { get; private set; }
    public int Count { get { lock (_items) return _items.Count; } }
    public bool IsReadOnly => false;

    public void Add(T item)
    {
        lock (_items)
        {
            Added++;
            if (_items.Count == capacity) _items.Dequeue();
            _items.Enqueue(item);
        }
    }

    public void Clear() { lock (_items) _items.Clear(); }
    public bool Contains(T item) { lock (_items) return _items.Contains(item); }
    public void CopyTo(T[] array, int arrayIndex) { lock (_items) _items.CopyTo(array, arrayIndex); }
    public bool Remove(T item) => throw new NotSupportedException();
    public IEnumerator<T> GetEnumerator() { lock (_items) return _items.ToList().GetEnumerator(); }
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
