using System.Text.RegularExpressions;
using LowCodeTokens.Host.Definitions;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Tokens;
using Microsoft.Extensions.Configuration;

namespace LowCodeTokens.Tests.Definitions;

/// <summary>Issue 14: <c>check &lt;folder&gt;</c> prints every problem as <c>path:line:column: message</c> and exits 0 or 1, with no server and no database.</summary>
public sealed partial class CheckCommandTests : IDisposable
{
    private readonly DefinitionFolders _folder = DefinitionFolders.Standard();

    public void Dispose() => _folder.Dispose();

    internal static IConfiguration Variables(params (string Name, string Value)[] extra) => new ConfigurationBuilder()
        .AddInMemoryCollection(new[]
        {
            ("GREETING", "hi"), ("API_URL", "http://127.0.0.1:9400"), ("API_HOST", "127.0.0.1:9400"),
            ("CLIENT_ID", "client"), ("CLIENT_SECRET", "secret"),
        }.Concat(extra).Select(v => KeyValuePair.Create($"LowCodeTokens:Definitions:Variables:{v.Item1}", (string?)v.Item2)))
        .Build();

    private async Task<(int ExitCode, string[] Lines)> CheckAsync(IConfiguration? configuration = null)
    {
        var output = new StringWriter();
        var exitCode = await CheckCommand.RunAsync(_folder.Root, configuration ?? Variables(), output);
        return (exitCode, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [GeneratedRegex(@"^(?<file>[^:]+):(?<line>\d+):(?<column>\d+): (?<message>.+)$")]
    private static partial Regex Located();

    [Fact]
    public async Task Check_GoodFolder_ExitsZero_AndPrintsNoProblem()
    {
        var (exitCode, lines) = await CheckAsync();

        Assert.Equal(0, exitCode);
        Assert.DoesNotContain(lines, l => Located().IsMatch(l));
        Assert.Contains("ok (2 modules, 3 apps)", Assert.Single(lines));
    }

    [Fact]
    public async Task Check_FourDistinctErrors_PrintsFourLocatedLines_AndExitsOne()
    {
        // 1. A syntax error in a module's main.js (a module no app uses, so that nothing else fails because of it).
        _folder.Write("modules/broken/module.json", """{ "name": "Broken", "version": "1.0.0", "main": "main.js" }""");
        _folder.Write("modules/broken/main.js", "export default {\n  run() {\n    return 1 +;\n  },\n};\n");
        // 2. A field of the wrong type in an app file.
        _folder.Replace("apps/hello/app.json", "\"runOnPageLoad\": [\"onPageLoad\"]", "\"runOnPageLoad\": \"onPageLoad\"");
        // 3. A cycle between two queries.
        _folder.Replace("apps/greet.json", "\"jsObjects\": [", """
            "queries": [
                { "name": "a", "url": "http://127.0.0.1:1/{{b.data}}" },
                { "name": "b", "url": "http://127.0.0.1:1/{{a.data}}" }
              ],
              "jsObjects": [
            """);
        // 4. A module version that neither the folder nor the host has.
        _folder.Replace("apps/crm.json", "\"Auth@1\"", "\"Auth@2\"");

        var (exitCode, lines) = await CheckAsync();

        Assert.Equal(1, exitCode);
        var problems = lines.Select(l => Located().Match(l)).Where(m => m.Success).ToList();
        Assert.Equal(4, problems.Count);
        var at = (string file, int line, int column) => problems.Single(m => m.Groups["file"].Value == file
            && int.Parse(m.Groups["line"].Value) == line && int.Parse(m.Groups["column"].Value) == column).Groups["message"].Value;

        Assert.Contains("Unexpected token", at("modules/broken/main.js", 3, 15));
        var (typeLine, typeColumn) = _folder.Find("apps/hello/app.json", "\"onPageLoad\" }");
        Assert.Equal("pages[0].jsObjects[0].runOnPageLoad: expected an array", at("apps/hello/app.json", typeLine, typeColumn));
        var (cycleLine, cycleColumn) = _folder.Find("apps/greet.json", "{ \"name\": \"a\"");
        Assert.Contains("dependency cycle: a → b → a", at("apps/greet.json", cycleLine, cycleColumn));
        var (moduleLine, moduleColumn) = _folder.Find("apps/crm.json", "\"Auth@2\"");
        Assert.Contains("Auth@2 is not published", at("apps/crm.json", moduleLine, moduleColumn));
        Assert.Equal("4 problem(s)", lines[^1][(lines[^1].LastIndexOf(": ", StringComparison.Ordinal) + 2)..]);
    }

    [Fact]
    public async Task Check_TwoModulesWhoseNamesDifferOnlyByCase_IsAProblemAtTheSecondName()
    {
        // Module names are unique ignoring case, as app names are: `greeter` beside `Greeter` would be refused when published.
        _folder.Write("modules/greeter-too/module.json", """{ "name": "greeter", "version": "2.0.0", "main": "main.js" }""");
        _folder.Write("modules/greeter-too/main.js", DefinitionFolders.GreeterCode);

        var (exitCode, lines) = await CheckAsync();

        Assert.Equal(1, exitCode);
        var (line, column) = _folder.Find("modules/greeter-too/module.json", "\"greeter\"");
        // Folders are read in ordinal order: greeter-too comes after greeter, and is the one refused.
        Assert.Equal($"modules/greeter-too/module.json:{line}:{column}: name: a module named 'Greeter' is defined in the folder too; module names are unique ignoring case",
            Assert.Single(lines, l => Located().IsMatch(l)));
    }

    [Fact]
    public async Task Check_JsObjectCodeInline_IsLocatedInTheJsonFile_AndInASideFileInThatFile()
    {
        _folder.Replace("apps/greet.json", "return Greeter_Module.greet", "return return Greeter_Module.greet");
        _folder.Replace("apps/hello/JSObject1.js", "onPageLoad: () =>", "onPageLoad: () => =>");

        var (exitCode, lines) = await CheckAsync();

        Assert.Equal(1, exitCode);
        // Inline: the column counts the JSON string as written (its \n escapes included), from the same line.
        var (line, column) = _folder.Find("apps/greet.json", "return return");
        Assert.Contains(lines, l => l.StartsWith($"apps/greet.json:{line}:{column + "return ".Length}: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("apps/hello/JSObject1.js:2:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_UnsetVariable_IsAProblemAtItsPlace_AndADefaultIsUsed()
    {
        _folder.Replace("apps/crm.json", "\"${CLIENT_ID}\"", "\"${CRM_CLIENT_ID}\"");
        _folder.Replace("apps/hello/app.json", "\"Greeter@1.0.0\"", "\"${GREETER:-Greeter@1.0.0}\"");

        var (exitCode, lines) = await CheckAsync();

        Assert.Equal(1, exitCode);
        var (line, column) = _folder.Find("apps/crm.json", "${CRM_CLIENT_ID}");
        var problem = Assert.Single(lines, l => Located().IsMatch(l));
        Assert.StartsWith($"apps/crm.json:{line}:{column}: modules[0].inputs.clientId: the variable 'CRM_CLIENT_ID' is not set", problem);
    }

    [Fact]
    public async Task Check_MisspeltField_IsRefusedWhereItIs()
    {
        _folder.Replace("apps/crm.json", "\"datasource\": \"users_api\"", "\"datasource\": \"users_api\", \"onUnauthorised\": \"Auth_Module.refreshAccessToken\"");

        var (exitCode, lines) = await CheckAsync();

        Assert.Equal(1, exitCode);
        var (line, column) = _folder.Find("apps/crm.json", "\"Auth_Module.refreshAccessToken\"");
        Assert.Contains($"apps/crm.json:{line}:{column}: pages[0].queries[0].onUnauthorised: 'onUnauthorised' is not a field here", Assert.Single(lines, l => Located().IsMatch(l)));
    }

    [Fact]
    public async Task DotnetRunCheck_OnTheRepositoryDefinitions_ExitsZero_AndOnABrokenFolderOne_WithoutADatabase()
    {
        var dataDir = Directory.CreateTempSubdirectory("lct-check-").FullName;
        try
        {
            var repositoryDefinitions = Path.Combine(AuthApp.RepoRoot(), "definitions");
            var good = await LaunchProfileTests.DotnetRun.RunToExitAsync(dataDir, new(), ["check", repositoryDefinitions]);
            Assert.True(good.ExitCode == 0, good.Output);
            Assert.Contains("ok (1 modules, 2 apps)", good.Output); // crm and portal

            _folder.Replace("modules/greeter/main.js", "return `", "return return `");
            var bad = await LaunchProfileTests.DotnetRun.RunToExitAsync(dataDir, new()
            {
                ["LowCodeTokens__Definitions__Variables__GREETING"] = "hi", ["LowCodeTokens__Definitions__Variables__API_URL"] = "http://127.0.0.1:9400",
                ["LowCodeTokens__Definitions__Variables__API_HOST"] = "127.0.0.1:9400", ["LowCodeTokens__Definitions__Variables__CLIENT_ID"] = "c",
                ["LowCodeTokens__Definitions__Variables__CLIENT_SECRET"] = "s",
            }, ["check", _folder.Root]);
            Assert.Equal(1, bad.ExitCode);
            Assert.Matches(@"(?m)^modules/greeter/main\.js:3:12: ", bad.Output);
            Assert.Empty(Directory.GetFileSystemEntries(dataDir)); // no database, no admin key: nothing was started
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
