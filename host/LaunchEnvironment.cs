namespace LowCodeTokens.Host;

/// <summary>
/// The environment <c>dotnet run --project host</c> runs in when the caller names none: Development (with the demo), from
/// the launch profile's <c>LOWCODETOKENS_DEFAULT_ENVIRONMENT</c>. The profile does not set <c>ASPNETCORE_ENVIRONMENT</c>
/// itself: a profile's variables replace the caller's, so <c>ASPNETCORE_ENVIRONMENT=Production dotnet run --project host</c>
/// ran Development and started the demo.
/// </summary>
internal static class LaunchEnvironment
{
    public const string DefaultVariable = "LOWCODETOKENS_DEFAULT_ENVIRONMENT";

    /// <summary>
    /// Sets <c>ASPNETCORE_ENVIRONMENT</c> to <see cref="DefaultVariable"/>'s value when neither it nor <c>DOTNET_ENVIRONMENT</c>
    /// is set; call before the host builder reads the environment. An <c>--environment</c> argument still wins.
    /// </summary>
    public static void ApplyDefault()
    {
        if (Environment.GetEnvironmentVariable(DefaultVariable) is not { Length: > 0 } fallback) return;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")) ||
            !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")))
            return;
        Environment.SetEnvironmentVariable("ASPNETCORE_ENVIRONMENT", fallback);
    }
}
