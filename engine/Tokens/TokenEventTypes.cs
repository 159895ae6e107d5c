namespace LowCodeTokens.Engine.Tokens;

/// <summary>The token lifecycle events a module may report (SPEC §7), by their wire names.</summary>
public static class TokenEventTypes
{
    public const string Issued = "issued";
    public const string Refreshed = "refreshed";
    public const string Rotated = "rotated";
    public const string RefreshFailed = "refresh-failed";
    public const string BackingOff = "backing-off";
    public const string ReauthenticationRequired = "reauthentication-required";

    public static readonly IReadOnlyList<string> All = [Issued, Refreshed, Rotated, RefreshFailed, BackingOff, ReauthenticationRequired];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}
