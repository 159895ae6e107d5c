using System.Runtime.CompilerServices;
using Jint.Native.Temporal;

namespace LowCodeTokens.Engine.Scripting.Jint;

/// <summary>
/// Starts, on a thread of its own, the one part of building the script engine that depends on nothing configured, so that
/// it overlaps the host's start instead of delaying the first page load.
/// </summary>
/// <remarks>
/// Every <c>new Jint.Options()</c> touches Jint's default time-zone provider, whose type initializer reads the machine's time
/// zones sorted by display name, and .NET asks ICU for the display name of each of the ~420 zones: ~0.4 s of CPU, once per
/// process (docs/benchmarks.md, coldstart). A type initializer runs once: the engine built later finds it done, or waits
/// for this thread to finish it. A host calls <see cref="Begin"/> first thing in <c>Main</c>.
/// </remarks>
public static class ScriptEnginePriming
{
    private static int _begun;

    public static void Begin()
    {
        if (Interlocked.Exchange(ref _begun, 1) == 1) return;
        new Thread(static () =>
        {
            try
            {
                RuntimeHelpers.RunClassConstructor(typeof(DefaultTimeZoneProvider).TypeHandle);
            }
            catch (TypeInitializationException)
            {
                // Only speed is at stake: building the engine runs into the same failure and reports it.
            }
        }) { IsBackground = true, Name = "Jint time zones" }.Start();
    }
}
