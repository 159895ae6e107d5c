using System.Diagnostics;

namespace LowCodeTokens.Host.Tracing;

/// <summary>
/// Trace context for ASP.NET Core's request activity: every request starts a trace of its own; outgoing requests carry it
/// (W3C <c>traceparent</c>) as the default propagator writes it.
/// </summary>
/// <remarks>
/// The default propagator continues the trace a caller names in <c>traceparent</c> and takes its <c>baggage</c>; a query then
/// forwards both to the upstream. A viewer or any caller could so choose the trace id and headers sent to a token server,
/// and a caller that sends one trace context with every request (a tool or gateway inside one long-lived activity) made every
/// query of every app carry that one id. The server's callers are not a trusted tracing peer: nothing is read from them.
/// </remarks>
internal sealed class LocalTraceContextPropagator : DistributedContextPropagator
{
    private static readonly DistributedContextPropagator Outgoing = CreateW3CPropagator();

    public override IReadOnlyCollection<string> Fields => Outgoing.Fields;

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) =>
        Outgoing.Inject(activity, carrier, setter);

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
    {
        traceId = null;
        traceState = null;
    }

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) => null;
}
