namespace LowCodeTokens.Engine.Scripting.Node;

/// <summary>Error codes of host.js (JSON-RPC server-defined range), plus the engine's own for a lost process.</summary>
internal static class NodeErrorCodes
{
    public const int Script = -32000;
    public const int SessionUnknown = -32001;
    public const int Timeout = -32010;
    public const int Memory = -32011;
    public const int WorkerRestarted = -32012;
    public const int Quarantined = -32013;
    public const int ProcessLost = -32099;
    public const int Deadline = -32098;
}
