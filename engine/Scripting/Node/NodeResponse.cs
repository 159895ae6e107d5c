using System.Text.Json;

namespace LowCodeTokens.Engine.Scripting.Node;

/// <summary>A JSON-RPC response from the Node process: a result, or an error code, message and data.</summary>
internal sealed record NodeResponse(JsonElement Result, int ErrorCode, string? ErrorMessage, JsonElement ErrorData)
{
    public bool IsError => ErrorMessage is not null;

    public static NodeResponse Failure(int code, string message) => new(default, code, message, default);
}
