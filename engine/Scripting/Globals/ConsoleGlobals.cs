using Jint;
using System.Text;
using Jint.Native;
using Jint.Native.Error;
using Jint.Runtime;
using LowCodeTokens.Engine.Scripting.Jint;

namespace LowCodeTokens.Engine.Scripting.Globals;

/// <summary><c>console.log/info/warn/error/debug</c>, captured per invocation and returned with its result.</summary>
internal sealed class ConsoleGlobals : IScriptGlobalProvider
{
    private static readonly string[] Levels = ["log", "info", "warn", "error", "debug"];

    public IEnumerable<ScriptGlobal> Shared => [new("console", Create)];

    private static JsValue Create(ScriptEntity entity)
    {
        var console = entity.NewObject();
        foreach (var level in Levels)
        {
            var recorded = level == "debug" ? "log" : level;
            console.FastSetDataProperty(level, entity.Function(level, (_, args) =>
            {
                var text = new StringBuilder();
                for (var i = 0; i < args.Length; i++)
                {
                    if (i > 0) text.Append(' ');
                    text.Append(Format(entity, args[i]));
                }
                entity.Current.Log(recorded, text.ToString());
                return JsValue.Undefined;
            }));
        }
        return entity.Freeze(console);
    }

    private static string Format(ScriptEntity entity, JsValue value)
    {
        if (value.IsString()) return value.AsString();
        if (value is JsError) return entity.MessageOf(value);
        try
        {
            return JsonBridge.ToJson(entity.Engine, value, entity.Limits.Options.MaxValueBytes) ?? TypeConverter.ToString(value);
        }
        catch (Exception e) when (e is JavaScriptException or ValueTooLargeException)
        {
            return TypeConverter.ToString(value);
        }
    }
}
