using LowCodeTokens.Engine.Definitions.Folders;
using LowCodeTokens.Engine.Runtime;

namespace LowCodeTokens.Host.Definitions;

/// <summary>
/// <c>dotnet run --project host -- check &lt;folder&gt;</c>: validates a definitions folder without a server or a database,
/// prints each problem as <c>path:line:column: message</c> (path relative to the folder) and returns 0 when there is none, else 1.
/// </summary>
public static class CheckCommand
{
    public static async Task<int> RunAsync(string folder, IConfiguration configuration, TextWriter output, CancellationToken ct = default)
    {
        var options = new DefinitionFolderOptions();
        configuration.GetSection(DefinitionFolderOptions.Section).Bind(options);
        var result = await DefinitionFolderLoader.CheckAsync(folder, options.Variables, ct);
        foreach (var problem in result.Problems)
            await output.WriteLineAsync(problem.ToString());
        await output.WriteLineAsync(result.Succeeded
            ? $"{folder}: ok ({result.Modules} modules, {result.Apps} apps)"
            : $"{folder}: {result.Problems.Count} problem(s)");
        return result.Succeeded ? 0 : 1;
    }

    /// <summary>Configuration as the host would read it for the variables: appsettings.json, then environment variables (<c>LowCodeTokens__Definitions__Variables__NAME</c>).</summary>
    public static IConfiguration Configuration() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();
}
