using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Engine.Scripting.Node;

/// <summary>
/// <see cref="IScriptHost"/> over a supervised Node.js process. When the process dies, calls in flight fail
/// with a retriable error and a new process is started at once.
/// </summary>
internal sealed partial class NodeScriptHost : IScriptHost, IAsyncDisposable
{
    private readonly ScriptingOptions _options;
    private readonly IServiceProvider _services;
    private readonly ILogger<NodeScriptHost> _logger;
    private readonly Lock _gate = new();
    private IScriptCallbackHandler? _handler;
    private NodeProcess? _process;
    private bool _disposed;

    public NodeScriptHost(IOptions<LowCodeEngineOptions> options, IServiceProvider services, ILogger<NodeScriptHost> logger)
    {
        _options = options.Value.Scripting;
        _services = services;
        _logger = logger;
    }

    /// <summary>The current Node process id (tests kill it to prove recovery).</summary>
    internal int ProcessId => Current().ProcessId;

    private NodeProcess Current()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // A call right after a crash must not go to the dead process while OnExited has yet to run.
            if (_process is { IsLost: true } lost)
            {
                _process = null;
                LogExited(_logger, lost.ProcessId);
                _ = lost.DisposeAsync().AsTask();
            }
            if (_process is null)
            {
                var process = NodeProcess.Start(_options, OnRequestAsync, _logger);
                _process = process;
                LogStarted(_logger, process.ProcessId);
                _ = process.Exited.ContinueWith(_ => OnExited(process), TaskScheduler.Default);
            }
            return _process;
        }
    }

    private void OnExited(NodeProcess process)
    {
        lock (_gate)
        {
            if (_process != process) return;
            _process = null;
            LogExited(_logger, process.ProcessId);
        }
        _ = process.DisposeAsync().AsTask();
        // Start the next process right away so that the next call does not pay for the start.
        try { if (!_disposed) Current(); } catch (ObjectDisposedException) { }
    }

    private async Task<NodeResponse> CallAsync(string method, JsonNode parameters, CancellationToken ct, TimeSpan? deadline = null)
    {
        var process = Current();
        var call = process.CallAsync(method, parameters.ToJsonString());
        try
        {
            return await call.WaitAsync(deadline ?? _options.InvocationDeadline, ct);
        }
        catch (TimeoutException)
        {
            process.Forget(call);
            return NodeResponse.Failure(NodeErrorCodes.Deadline, $"The script did not finish within {(deadline ?? _options.InvocationDeadline).TotalSeconds:0.#} s.");
        }
        catch (OperationCanceledException)
        {
            process.Forget(call);
            throw;
        }
    }

    public async Task<JsonElement> EchoAsync(JsonElement payload, CancellationToken ct = default)
    {
        var response = await CallAsync("echo", JsonNode.Parse(payload.GetRawText())!, ct);
        if (response.IsError) throw new InvalidOperationException(response.ErrorMessage);
        return response.Result;
    }

    public async Task<ScriptAnalysis> AnalyzeAsync(string? code, IReadOnlyList<string> expressions, CancellationToken ct = default)
    {
        var parameters = new JsonObject { ["exprs"] = new JsonArray(expressions.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray()) };
        if (code is not null) parameters["code"] = code;
        var response = await CallAsync("analyze", parameters, ct);
        if (response.IsError) throw new InvalidOperationException($"The script host could not analyze the code: {response.ErrorMessage}");
        return NodeJson.ReadAnalysis(response.Result);
    }

    public async Task<ScriptOutcome> OpenSessionAsync(ScriptSessionSpec spec, CancellationToken ct = default)
    {
        var parameters = Limits(spec.App);
        parameters["session"] = spec.Session;
        parameters["page"] = spec.Page.DeepClone();
        parameters["modules"] = spec.Modules.DeepClone();
        return NodeJson.ReadOutcome(await CallAsync("open", parameters, ct));
    }

    public async Task<ScriptOutcome> InvokeAsync(ScriptInvocation invocation, CancellationToken ct = default)
    {
        var parameters = Limits(invocation.App);
        parameters["session"] = invocation.Session;
        parameters["ctx"] = invocation.Context;
        if (invocation.Expression is not null) parameters["expr"] = invocation.Expression;
        if (invocation.Path is not null) parameters["path"] = new JsonArray(invocation.Path.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
        parameters["args"] = invocation.ArgsJson;
        if (invocation.ClockOffsetMs != 0) parameters["clock"] = invocation.ClockOffsetMs;
        if (invocation.Store is not null) parameters["store"] = NodeJson.Snapshot(invocation.Store);
        return NodeJson.ReadOutcome(await CallAsync("invoke", parameters, ct));
    }

    public async Task<ScriptOutcome> EvaluateAsync(string app, string session, JsonArray items, StoreSnapshot? store, CancellationToken ct = default)
    {
        var parameters = Limits(app);
        parameters["session"] = session;
        parameters["items"] = items.DeepClone();
        if (store is not null) parameters["store"] = NodeJson.Snapshot(store);
        return NodeJson.ReadOutcome(await CallAsync("evaluate", parameters, ct));
    }

    public async Task CloseSessionAsync(string app, string session, CancellationToken ct = default)
    {
        await CallAsync("close", new JsonObject { ["app"] = app, ["session"] = session }, ct);
    }

    private JsonObject Limits(string app) => new()
    {
        ["app"] = app,
        ["timeLimitMs"] = (int)_options.TimeLimit.TotalMilliseconds,
        ["memoryLimitMb"] = _options.MemoryLimitMb,
    };

    private async Task<string> OnRequestAsync(string method, JsonElement parameters)
    {
        if (method != "callback")
            return JsonSerializer.Serialize(new { ok = false, error = $"unknown request {method}" });
        _handler ??= _services.GetRequiredService<IScriptCallbackHandler>();
        var callback = new ScriptCallback(
            parameters.GetProperty("app").GetString()!,
            parameters.GetProperty("session").GetString()!,
            parameters.GetProperty("ctx").GetString()!,
            parameters.GetProperty("op").GetString()!,
            parameters.GetProperty("payload").GetString()!,
            NodeJson.ReadWrites(parameters));
        using var cts = new CancellationTokenSource(_options.InvocationDeadline);
        var result = await _handler.HandleAsync(callback, cts.Token);
        var answer = new JsonObject { ["ok"] = result.Ok };
        answer[result.Ok ? "value" : "error"] = result.Text;
        if (result.Store is not null) answer["store"] = NodeJson.Snapshot(result.Store);
        return answer.ToJsonString();
    }

    public async ValueTask DisposeAsync()
    {
        NodeProcess? process;
        lock (_gate)
        {
            _disposed = true;
            process = _process;
            _process = null;
        }
        if (process is not null) await process.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Script host started (node pid {Pid})")]
    private static partial void LogStarted(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Script host (node pid {Pid}) exited; calls in flight failed with a retriable error")]
    private static partial void LogExited(ILogger logger, int pid);
}
