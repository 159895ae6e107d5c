using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Engine.Scripting;

/// <summary>
/// Calls the function at <see cref="Path"/> (e.g. <c>["JSObject1","onPageLoad"]</c>) in context <see cref="Context"/>,
/// or evaluates <see cref="Expression"/> as an action. <see cref="Store"/> is sent when the context's copy is stale.
/// </summary>
public sealed record ScriptInvocation
{
    public required string App { get; init; }
    public required string Session { get; init; }
    public string Context { get; init; } = "page";
    public IReadOnlyList<string>? Path { get; init; }
    public string? Expression { get; init; }
    public string ArgsJson { get; init; } = "[]";
    public StoreSnapshot? Store { get; init; }
    /// <summary>Milliseconds the engine's clock is ahead of the real one; scripts' <c>Date</c> follows the engine's clock.</summary>
    public long ClockOffsetMs { get; init; }
    /// <summary>
    /// When set (epoch ms), scripts' <c>Date</c> stands still at this instant for the invocation: the engine runs on a
    /// test clock, which must not drift by the real milliseconds an invocation takes.
    /// </summary>
    public long? ClockFixedMs { get; init; }
}
