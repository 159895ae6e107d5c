using System.Text.Json;
using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Host.Contracts;

/// <summary>Why a run failed. <c>kind</c>: script, timeout, memory, crashed, sessionUnknown, quarantined; <c>retriable</c> says a retry can succeed.</summary>
public sealed record RunErrorResponse(string Kind, string Name, string Message, string? Stack, int? Line, int? Column, bool Retriable)
{
    public static RunErrorResponse From(ScriptError error) =>
        new(JsonNamingPolicy.CamelCase.ConvertName(error.Kind.ToString()), error.Name, error.Message,
            error.Stack, error.Line, error.Column, error.IsRetriable);
}
