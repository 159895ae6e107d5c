extern alias JsonSchemaNet;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using JsonSchemaNet::Json.Schema;
using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Host.Definitions;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Tokens;

namespace LowCodeTokens.Tests.Definitions;

/// <summary>
/// Issue 14: the JSON Schemas of module.json and app.json are generated from the definition types, served at /schemas/,
/// committed in schemas/, and refuse what the reader and validators refuse for field names and types (a corpus run through both).
/// </summary>
public sealed class DefinitionSchemaTests
{
    private static readonly string Repo = AuthApp.RepoRoot();
    private static readonly string CorpusRoot = Path.Combine(Repo, "tests", "LowCodeTokens.Tests", "Definitions", "Corpus");

    private static readonly Lazy<JsonSchema> ModuleSchema = new(() => Build(DefinitionSchemas.Module, "module"));
    private static readonly Lazy<JsonSchema> AppSchema = new(() => Build(DefinitionSchemas.App, "app"));

    private static JsonSchema Build(string text, string name) =>
        JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://lowcodetokens.test/schemas/{name}.json"));

    private static bool SchemaAccepts(JsonSchema schema, string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid;
    }

    /// <summary>
    /// What the host decides for field names and types: the reader (unknown fields, types, required fields), then the
    /// FluentValidation rules. As in a definitions folder, a module's code comes from its main file and a JS object's
    /// from its <c>codeFile</c>, so either stands in for <c>"code"</c> here.
    /// </summary>
    private static bool ValidatorsAccept(string kind, string json)
    {
        if (kind == "module")
        {
            var module = DefinitionJson.Read<ModuleDefinition>(json, "module.json", out _);
            if (module is null) return false;
            return new ModuleDefinitionValidator().Validate(module.Code is null ? module with { Code = "export default {}" } : module).IsValid;
        }
        var app = DefinitionJson.Read<AppDefinition>(json, "app.json", out _);
        if (app is null) return false;
        var pages = app.Pages.Select(p => p with
        {
            JsObjects = p.JsObjects.Select(o => o.CodeFile is not null && o.Code.Length == 0 ? o with { Code = "export default {}" } : o).ToList(),
        }).ToList();
        return new AppDefinitionValidator().Validate(app with { Pages = pages }).IsValid;
    }

    public static TheoryData<string, string> Corpus()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "module", "app" })
            foreach (var file in Directory.GetFiles(Path.Combine(CorpusRoot, kind), "*.json").Order(StringComparer.Ordinal))
                data.Add(kind, Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void Corpus_HasAtLeastThirtyFiles_ValidAndInvalid_OfBothKinds()
    {
        var files = Corpus().Select(row => ((string)row[0], (string)row[1])).ToList();
        Assert.True(files.Count >= 30, $"{files.Count} files");
        foreach (var kind in new[] { "module", "app" })
        {
            Assert.Contains(files, f => f.Item1 == kind && f.Item2.StartsWith("valid-", StringComparison.Ordinal));
            Assert.Contains(files, f => f.Item1 == kind && f.Item2.StartsWith("invalid-", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void SchemaAndValidators_AgreeOnEveryCorpusFile_AndWithItsName(string kind, string file)
    {
        var json = File.ReadAllText(Path.Combine(CorpusRoot, kind, file));
        var expected = file.StartsWith("valid-", StringComparison.Ordinal);

        var validators = ValidatorsAccept(kind, json);
        var schema = SchemaAccepts(kind == "module" ? ModuleSchema.Value : AppSchema.Value, json);

        Assert.True(validators == expected, $"the validators {(validators ? "accept" : "reject")} {kind}/{file}");
        Assert.True(schema == expected, $"the schema {(schema ? "accepts" : "rejects")} {kind}/{file}");
    }

    [Fact]
    public void Schemas_AcceptTheShippedModuleAndTheDemoApp_WhichNameThem()
    {
        var module = File.ReadAllText(Path.Combine(Repo, "definitions", "modules", "auth", "module.json"));
        var app = File.ReadAllText(Path.Combine(Repo, "definitions", "apps", "crm.json"));

        Assert.True(SchemaAccepts(ModuleSchema.Value, module));
        Assert.True(SchemaAccepts(AppSchema.Value, app));
        Assert.Equal("../../../schemas/module.json", JsonNode.Parse(module)!["$schema"]!.GetValue<string>());
        Assert.Equal("../../schemas/app.json", JsonNode.Parse(app)!["$schema"]!.GetValue<string>());
        // The $schema paths lead to the committed files.
        Assert.True(File.Exists(Path.GetFullPath(Path.Combine(Repo, "definitions", "modules", "auth", "../../../schemas/module.json"))));
    }

    [Theory]
    [InlineData("module.json")]
    [InlineData("app.json")]
    public void CommittedSchema_IsTheGeneratedOne(string file)
    {
        var generated = file == "module.json" ? DefinitionSchemas.Module : DefinitionSchemas.App;
        var committed = File.ReadAllText(Path.Combine(Repo, "schemas", file)).ReplaceLineEndings("\n");

        Assert.True(generated == committed,
            $"schemas/{file} differs from what the definition types give; regenerate it from the repository root: dotnet run --project host -- schemas \"$PWD/schemas\"");
    }

    [Theory]
    [InlineData("module.json")]
    [InlineData("app.json")]
    public async Task GetSchema_Anonymous_ServesTheGeneratedSchema(string file)
    {
        var dataDir = Directory.CreateTempSubdirectory("lct-schemas-").FullName;
        try
        {
            await using var host = new EngineHostFactory(dataDir);
            using var anonymous = host.CreateClient();

            var response = await anonymous.GetAsync($"/schemas/{file}");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(SchemaEndpoints.ContentType, response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(file == "module.json" ? DefinitionSchemas.Module : DefinitionSchemas.App, await response.Content.ReadAsStringAsync());
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
