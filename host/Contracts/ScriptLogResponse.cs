using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Host.Contracts;

/// <summary>One captured console line: level, text (already redacted by the engine) and the code that wrote it.</summary>
public sealed record ScriptLogResponse(string Level, string Text, string Source)
{
    public static ScriptLogResponse From(ScriptLog log) => new(log.Level, log.Text, log.Source);
}
