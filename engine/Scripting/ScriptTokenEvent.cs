namespace LowCodeTokens.Engine.Scripting;

/// <summary>
/// A token lifecycle event as a module reported it with <c>tokens.event(type, details)</c>, its values checked for shape
/// (times are epoch milliseconds). The runtime adds the app, module instance and scope, and masks <see cref="Error"/>.
/// </summary>
public sealed record ScriptTokenEvent(
    string Type,
    string? Grant = null,
    double? ExpiresAtMs = null,
    double? RefreshAtMs = null,
    double? NextAttemptAtMs = null,
    int? Failures = null,
    int? Status = null,
    string? Error = null);
