using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Engine.Scripting.Jint;
using LowCodeTokens.Engine.Tokens;

namespace LowCodeTokens.Engine.Telemetry;

/// <summary>
/// The engine's instruments, on the <c>LowCodeTokens</c> meter of this container's <see cref="IMeterFactory"/> (so that a
/// listener can tell two hosts in one process apart). Names and units follow the OpenTelemetry semantic conventions' style;
/// tags are app, module (instance), grant and outcome — never a scope or anything a token could be in.
/// </summary>
internal sealed class EngineMetrics
{
    private readonly Counter<long> _tokenRequests;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _joined;
    private readonly Counter<long> _refreshFailures;
    private readonly Counter<long> _backoffs;
    private readonly Counter<long> _reauthentications;
    private readonly Histogram<double> _pageLoads;
    private readonly Histogram<double> _actions;
    private readonly Histogram<double> _queries;
    private readonly Histogram<double> _scripts;

    /// <remarks>
    /// The observable instruments find the sessions and the script engine when first observed, not here: the host creates the
    /// instruments at start-up (so that a first scrape shows them), and building the script engine then would put Jint's
    /// <c>Options</c> (~0.4 s of time-zone reading, docs/benchmarks.md) on the start-up path instead of the warm-up's thread.
    /// </remarks>
    public EngineMetrics(IMeterFactory factory, IServiceProvider services)
    {
        var meter = factory.Create(LowCodeTelemetry.MeterName);
        _tokenRequests = meter.CreateCounter<long>("lowcodetokens.token.requests", "{request}", "Token requests modules made, by grant type and outcome.");
        _refreshes = meter.CreateCounter<long>("lowcodetokens.token.refreshes", "{refresh}", "Access tokens refreshed.");
        _joined = meter.CreateCounter<long>("lowcodetokens.token.single_flight.joined", "{call}", "Calls of a single-flight function that joined one in flight instead of running it.");
        _refreshFailures = meter.CreateCounter<long>("lowcodetokens.token.refresh_failures", "{failure}", "Token requests that failed.");
        _backoffs = meter.CreateCounter<long>("lowcodetokens.token.backoffs", "{backoff}", "Times a module backed off a failing token server.");
        _reauthentications = meter.CreateCounter<long>("lowcodetokens.token.reauthentications_required", "{credential}", "Credentials declared in need of re-authentication.");
        _pageLoads = meter.CreateHistogram<double>("lowcodetokens.page_load.duration", "s", "Page loads, end to end.");
        _actions = meter.CreateHistogram<double>("lowcodetokens.action.duration", "s", "Page-load actions (queries, JS functions, module functions).");
        _queries = meter.CreateHistogram<double>("lowcodetokens.query.duration", "s", "Upstream requests of queries.");
        _scripts = meter.CreateHistogram<double>("lowcodetokens.script.duration", "s", "Calls into scripts (their awaits on queries included).");
        meter.CreateObservableUpDownCounter("lowcodetokens.sessions.open", () => (long)services.GetRequiredService<SessionManager>().Count, "{session}", "Open sessions.");
        meter.CreateObservableUpDownCounter("lowcodetokens.apps.quarantined",
            () => (long)((services.GetRequiredService<IScriptEngine>() as JintScriptEngine)?.Quarantine.QuarantinedCount() ?? 0), "{app}", "Apps whose scripts are quarantined now.");
    }

    public void TokenEvent(string app, string module, string type, string? grant)
    {
        var tags = new TagList { { "app", app }, { "module", module }, { "grant", grant ?? "unknown" } };
        switch (type)
        {
            case TokenEventTypes.Issued:
            case TokenEventTypes.Refreshed:
                _tokenRequests.Add(1, Outcome(tags, "success"));
                if (type == TokenEventTypes.Refreshed) _refreshes.Add(1, tags);
                break;
            case TokenEventTypes.RefreshFailed:
                _tokenRequests.Add(1, Outcome(tags, "failure"));
                _refreshFailures.Add(1, tags);
                break;
            case TokenEventTypes.BackingOff:
                _backoffs.Add(1, tags);
                break;
            case TokenEventTypes.ReauthenticationRequired:
                _reauthentications.Add(1, tags);
                break;
        }
    }

    // TagList is a struct: the caller's list stays as it was.
    private static TagList Outcome(TagList tags, string outcome)
    {
        tags.Add("outcome", outcome);
        return tags;
    }

    private static TagList AppOutcome(string app, bool ok) => new() { { "app", app }, { "outcome", ok ? "success" : "error" } };

    public void Joined(string app, string module) => _joined.Add(1, new TagList { { "app", app }, { "module", module } });

    public void PageLoad(string app, TimeSpan duration, bool ok) =>
        _pageLoads.Record(duration.TotalSeconds, AppOutcome(app, ok));

    public void Action(string app, string kind, TimeSpan duration, bool ok)
    {
        var tags = AppOutcome(app, ok);
        tags.Add("kind", kind);
        _actions.Record(duration.TotalSeconds, tags);
    }

    public void Query(string app, TimeSpan duration, bool ok) =>
        _queries.Record(duration.TotalSeconds, AppOutcome(app, ok));

    public void Script(string app, TimeSpan duration, bool ok) =>
        _scripts.Record(duration.TotalSeconds, AppOutcome(app, ok));
}
