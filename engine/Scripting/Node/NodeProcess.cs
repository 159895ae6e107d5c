using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace LowCodeTokens.Engine.Scripting.Node;

/// <summary>
/// One Node.js process speaking newline-delimited JSON-RPC 2.0 over stdio. Stdout EOF means the process is gone:
/// every call in flight fails with a retriable error and <see cref="Exited"/> completes.
/// </summary>
internal sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<NodeResponse>> _pending = new();
    private readonly Channel<string> _outbox = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<string, JsonElement, Task<string>> _onRequest;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextId;
    private int _lost;

    private NodeProcess(Process process, Func<string, JsonElement, Task<string>> onRequest, ILogger logger)
    {
        _process = process;
        _onRequest = onRequest;
        _logger = logger;
    }

    public Task Exited => _exited.Task;
    /// <summary>True once the process is gone: every call fails at once, even before <see cref="Exited"/>'s continuations ran.</summary>
    public bool IsLost => Volatile.Read(ref _lost) == 1;
    public int ProcessId => _process.Id;

    public static NodeProcess Start(ScriptingOptions options, Func<string, JsonElement, Task<string>> onRequest, ILogger logger)
    {
        var start = new ProcessStartInfo(options.NodePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var arg in new[] { "--experimental-vm-modules", "--no-warnings", NodeScriptFiles.EntryPoint })
            start.ArgumentList.Add(arg);
        start.Environment["LOWCODE_TIME_LIMIT_MS"] = ((int)options.TimeLimit.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["LOWCODE_MEMORY_LIMIT_MB"] = options.MemoryLimitMb.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the script host '{options.NodePath}'.");
        var node = new NodeProcess(process, onRequest, logger);
        _ = node.ReadLoopAsync();
        _ = node.WriteLoopAsync();
        _ = node.DrainStderrAsync();
        return node;
    }

    public Task<NodeResponse> CallAsync(string method, string paramsJson)
    {
        var id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<NodeResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        if (Volatile.Read(ref _lost) == 1)
        {
            _pending.TryRemove(id, out _);
            return Task.FromResult(Lost());
        }
        _outbox.Writer.TryWrite($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"{method}\",\"params\":{paramsJson}}}");
        return tcs.Task;
    }

    /// <summary>Stops waiting for a call (its deadline passed); a late answer is dropped.</summary>
    public void Forget(Task<NodeResponse> call)
    {
        foreach (var (id, tcs) in _pending)
            if (tcs.Task == call)
                _pending.TryRemove(id, out _);
    }

    private static NodeResponse Lost() =>
        NodeResponse.Failure(NodeErrorCodes.ProcessLost, "The script host stopped while the call was in flight; retry the call.");

    private async Task WriteLoopAsync()
    {
        var stdin = _process.StandardInput;
        try
        {
            while (await _outbox.Reader.WaitToReadAsync())
            {
                while (_outbox.Reader.TryRead(out var line))
                {
                    await stdin.WriteAsync(line);
                    await stdin.WriteAsync('\n');
                }
                await stdin.FlushAsync();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            OnLost();
        }
    }

    private async Task ReadLoopAsync()
    {
        var stdout = _process.StandardOutput;
        try
        {
            while (await stdout.ReadLineAsync() is { } line)
            {
                if (line.Length == 0) continue;
                Dispatch(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Same as EOF.
        }
        OnLost();
    }

    private void Dispatch(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.TryGetProperty("method", out var method))
        {
            var id = root.GetProperty("id").GetString()!;
            var parameters = root.TryGetProperty("params", out var p) ? p.Clone() : default;
            _ = AnswerAsync(id, method.GetString()!, parameters);
            return;
        }
        if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number) return;
        if (!_pending.TryRemove(idElement.GetInt64(), out var tcs)) return;
        if (root.TryGetProperty("error", out var error))
        {
            var data = error.TryGetProperty("data", out var d) ? d.Clone() : default;
            tcs.TrySetResult(new NodeResponse(default, error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString() ?? "error", data));
        }
        else
        {
            tcs.TrySetResult(new NodeResponse(root.GetProperty("result").Clone(), 0, null, default));
        }
    }

    private async Task AnswerAsync(string id, string method, JsonElement parameters)
    {
        string result;
        try
        {
            result = await _onRequest(method, parameters);
        }
        catch (Exception e)
        {
            LogCallbackFailed(_logger, method, e);
            result = JsonSerializer.Serialize(new { ok = false, error = "internal error in the engine while serving the script" });
        }
        _outbox.Writer.TryWrite($"{{\"jsonrpc\":\"2.0\",\"id\":{JsonSerializer.Serialize(id)},\"result\":{result}}}");
    }

    private async Task DrainStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
                LogStderr(_logger, line);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
    }

    private void OnLost()
    {
        if (Interlocked.Exchange(ref _lost, 1) == 1) return;
        _outbox.Writer.TryComplete();
        foreach (var id in _pending.Keys)
            if (_pending.TryRemove(id, out var tcs))
                tcs.TrySetResult(Lost());
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _exited.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        _outbox.Writer.TryComplete();
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Script host stderr: {Line}")]
    private static partial void LogStderr(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Serving the script host's '{Method}' request failed")]
    private static partial void LogCallbackFailed(ILogger logger, string method, Exception exception);
}
