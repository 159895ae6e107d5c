using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Engine.Scripting.Node;

/// <summary>Reads and writes the JSON shapes of the host.js protocol.</summary>
internal static class NodeJson
{
    public static JsonObject Snapshot(StoreSnapshot store)
    {
        var values = new JsonObject();
        foreach (var (key, json) in store.Values) values[key] = json;
        return new JsonObject { ["version"] = store.Version, ["values"] = values };
    }

    public static IReadOnlyList<StoreWrite> ReadWrites(JsonElement container)
    {
        if (container.ValueKind != JsonValueKind.Object || !container.TryGetProperty("writes", out var writes) || writes.ValueKind != JsonValueKind.Array)
            return [];
        var list = new List<StoreWrite>(writes.GetArrayLength());
        foreach (var w in writes.EnumerateArray())
        {
            list.Add(w.GetProperty("op").GetString() switch
            {
                "set" => StoreWrite.Set(w.GetProperty("key").GetString()!, w.GetProperty("json").GetString()!),
                "remove" => StoreWrite.Remove(w.GetProperty("key").GetString()!),
                _ => StoreWrite.Clear,
            });
        }
        return list;
    }

    private static IReadOnlyList<ScriptLog> ReadLogs(JsonElement container)
    {
        if (container.ValueKind != JsonValueKind.Object || !container.TryGetProperty("logs", out var logs) || logs.ValueKind != JsonValueKind.Array)
            return [];
        return logs.EnumerateArray()
            .Select(l => new ScriptLog(l.GetProperty("level").GetString()!, l.GetProperty("text").GetString()!, l.GetProperty("source").GetString()!))
            .ToList();
    }

    public static ScriptOutcome ReadOutcome(NodeResponse response)
    {
        if (!response.IsError)
        {
            return new ScriptOutcome
            {
                ValueJson = response.Result.TryGetProperty("value", out var v) ? v.GetString() : "null",
                Logs = ReadLogs(response.Result),
                Writes = ReadWrites(response.Result),
            };
        }
        var kind = response.ErrorCode switch
        {
            NodeErrorCodes.SessionUnknown => ScriptErrorKind.SessionUnknown,
            NodeErrorCodes.Timeout or NodeErrorCodes.Deadline => ScriptErrorKind.Timeout,
            NodeErrorCodes.Memory => ScriptErrorKind.Memory,
            NodeErrorCodes.Quarantined => ScriptErrorKind.Quarantined,
            NodeErrorCodes.WorkerRestarted or NodeErrorCodes.ProcessLost => ScriptErrorKind.Crashed,
            _ => ScriptErrorKind.Script,
        };
        string name = kind switch { ScriptErrorKind.Timeout => "TimeoutError", ScriptErrorKind.Quarantined => "QuarantineError", _ => "Error" };
        string? stack = null;
        int? line = null, column = null;
        var data = response.ErrorData;
        if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("error", out var err) && err.ValueKind == JsonValueKind.Object)
        {
            if (err.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String) name = n.GetString()!;
            if (err.TryGetProperty("stack", out var s) && s.ValueKind == JsonValueKind.String) stack = s.GetString();
            if (err.TryGetProperty("line", out var l) && l.ValueKind == JsonValueKind.Number) line = l.GetInt32();
            if (err.TryGetProperty("column", out var c) && c.ValueKind == JsonValueKind.Number) column = c.GetInt32();
        }
        return new ScriptOutcome
        {
            Error = new ScriptError(kind, name, response.ErrorMessage!, stack, line, column),
            Logs = ReadLogs(data),
            Writes = ReadWrites(data),
        };
    }

    public static ScriptAnalysis ReadAnalysis(JsonElement result)
    {
        ModuleAnalysis? module = null;
        if (result.TryGetProperty("module", out var m))
        {
            module = m.TryGetProperty("error", out var e)
                ? new ModuleAnalysis([], ReadError(e))
                : new ModuleAnalysis(m.GetProperty("members").EnumerateArray().Select(x => new ModuleMember(
                    x.GetProperty("name").GetString()!,
                    x.GetProperty("kind").GetString() == "function",
                    x.GetProperty("async").GetBoolean(),
                    ReadRefs(x.GetProperty("refs")))).ToList(), null);
        }
        var exprs = result.TryGetProperty("exprs", out var xs)
            ? xs.EnumerateArray().Select(x => x.TryGetProperty("error", out var e)
                ? new ExpressionAnalysis([], ReadError(e))
                : new ExpressionAnalysis(ReadRefs(x.GetProperty("refs")), null)).ToList()
            : [];
        return new ScriptAnalysis(module, exprs);
    }

    private static SourceError ReadError(JsonElement e) =>
        new(e.GetProperty("message").GetString()!, e.GetProperty("line").GetInt32(), e.GetProperty("column").GetInt32());

    private static IReadOnlyList<IReadOnlyList<string>> ReadRefs(JsonElement refs) =>
        refs.EnumerateArray().Select(r => (IReadOnlyList<string>)r.EnumerateArray().Select(p => p.GetString()!).ToList()).ToList();
}
