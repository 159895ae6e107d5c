using Jint;
using Jint.Native;

namespace LowCodeTokens.Engine.Scripting.Jint;

/// <summary>A <c>setTimeout</c> callback, due at a real-time timestamp; it belongs to the invocation that set it and dies with it.</summary>
internal sealed record ScriptTimer(int Id, long DueTimestamp, JsValue Callback, JsValue[] Arguments, Invocation Owner);
