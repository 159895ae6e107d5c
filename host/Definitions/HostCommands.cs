using LowCodeTokens.Engine.Definitions;

namespace LowCodeTokens.Host.Definitions;

/// <summary>
/// Commands the host runs instead of serving (no server, no database):
/// <c>check &lt;folder&gt;</c> validates a definitions folder; <c>schemas &lt;dir&gt;</c> writes <c>module.json</c> and
/// <c>app.json</c>, the JSON Schemas of the definition files, into a directory (the repository's <c>schemas/</c>).
/// </summary>
public static class HostCommands
{
    /// <summary>The command's exit code, or null when <paramref name="args"/> name no command (the host then serves).</summary>
    public static async Task<int?> TryRunAsync(string[] args, TextWriter output)
    {
        switch (args)
        {
            case ["check", var folder]:
                return await CheckCommand.RunAsync(folder, CheckCommand.Configuration(), output);
            case ["schemas", var directory]:
                Directory.CreateDirectory(directory);
                await File.WriteAllTextAsync(Path.Combine(directory, "module.json"), DefinitionSchemas.Module);
                await File.WriteAllTextAsync(Path.Combine(directory, "app.json"), DefinitionSchemas.App);
                await output.WriteLineAsync($"wrote {Path.Combine(directory, "module.json")} and {Path.Combine(directory, "app.json")}");
                return 0;
            default:
                return null;
        }
    }
}
