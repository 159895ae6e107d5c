using System.Net;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Security;

/// <summary>
/// Generated malformed app.json, module.json, bindings and module sources (table-driven, ~2,000 cases): each is a 400
/// with a location (file + path, line and column for code and JSON syntax) or accepted, never a 500, never a hang.
/// </summary>
public sealed class BadInputVolumeTests : IAsyncLifetime
{
    private static readonly TimeSpan PerRequest = TimeSpan.FromSeconds(10);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lct-fuzz-").FullName;
    private OAuthTestServer _oauth = null!;
    private EngineHostFactory _host = null!;
    private HttpClient _admin = null!;
    private string _app = "";

    public async Task InitializeAsync()
    {
        _oauth = await OAuthTestServer.StartNewAsync();
        _host = new EngineHostFactory(_dataDir);
        _admin = _host.Admin();
        _admin.Timeout = PerRequest;
        _app = PageLoadEndToEndTests.SpecApp(_oauth, ", count: () => getusers_API.data.results.length");
        await PageLoadEndToEndTests.PublishAndImportAsync(_admin, _app);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _oauth.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    private sealed record Case(string Name, string Url, string Body, string File);

    private static readonly JsonNode?[] WrongValues =
        [JsonValue.Create(42), JsonValue.Create(-1.5), JsonValue.Create(true), JsonValue.Create(""), JsonValue.Create("{{"), null, new JsonArray(), new JsonObject(), new JsonArray(1, "x"), JsonValue.Create(new string('x', 5000))];

    private static readonly string[] Expressions =
    [
        "{{", "}}", "{{}}", "{{ }}", "{{a.}}", "{{.a}}", "{{)(}}", "{{ function( }}", "{{ `x }}", "{{ 'x }}", "{{ /x }}", "{{ a b }}",
        "{{ {{a}} }}", "{{ x => }}", "{{ import('fs') }}", "{{ 1 + }}", "{{ await }}", "{{ ... }}", "{{ a?.[ }}", "{{ \u2028 }}",
        "{{ Table1.tableData }}", "{{ getusers_API.data.}}", "{{ new }}", "{{ class {} }}", "{{ return 1 }}", "{{ ; }}", "{{ a; b }}",
        "{{ (((((((((((((((((((( }}", "{{ [[[[[[[[[[[[[[[[[[[[[[ }}", "{{ \\u{110000} }}",
    ];

    private IEnumerable<Case> Cases()
    {
        var app = JsonNode.Parse(_app)!;
        var appText = app.ToJsonString(new() { WriteIndented = true });
        // 1. app.json cut short at every 3rd character, and with one character replaced: JSON syntax errors.
        for (int i = 1; i < appText.Length; i += 3)
            yield return new($"app cut at {i}", "/api/apps/fuzz", appText[..i], "app.json");
        for (int i = 0; i < appText.Length; i += 7)
            yield return new($"app char {i}", "/api/apps/fuzz", appText[..i] + "\u0001{]" + appText[(i + 1)..], "app.json");

        // 2. Every value in app.json replaced by each wrong value.
        foreach (var (path, mutate) in Paths(app))
            for (int v = 0; v < WrongValues.Length; v++)
            {
                var copy = app.DeepClone();
                mutate(copy, WrongValues[v]?.DeepClone());
                yield return new($"app {path} = #{v}", "/api/apps/fuzz", copy.ToJsonString(), "app.json");
            }

        // 3. Bindings: the widget property, a query header and the URL, each with every malformed expression.
        foreach (var expr in Expressions)
            foreach (var target in new[] { "tableData", "header", "url" })
            {
                var copy = app.DeepClone();
                var page = copy["pages"]![0]!;
                switch (target)
                {
                    case "tableData": page["widgets"]![0]!["tableData"] = expr; break;
                    case "header": page["queries"]![0]!["headers"]!["Authorization"] = "JWT " + expr; break;
                    default: page["queries"]![0]!["url"] = "/api/users?q=" + expr; break;
                }
                yield return new($"binding {target} {expr}", "/api/apps/fuzz", copy.ToJsonString(), "app.json");
            }

        // 4. Module sources (main.js) cut short and with a token dropped in, and JS object code likewise.
        var module = JsonNode.Parse(PageLoadEndToEndTests.ModuleJson)!.AsObject();
        var code = PageLoadEndToEndTests.ModuleCode;
        int version = 100;
        for (int i = 1; i < code.Length; i += 2)
        {
            var m = module.DeepClone().AsObject();
            m["version"] = $"1.0.{version}";
            m["code"] = i % 4 == 1 ? code[..i] : code[..i] + " }{ " + code[i..];
            yield return new($"main.js #{i}", $"/api/modules/Auth/versions/1.0.{version++}", m.ToJsonString(), "main.js");
        }
        var jsCode = app["pages"]![0]!["jsObjects"]![0]!["code"]!.GetValue<string>();
        for (int i = 1; i < jsCode.Length; i += 2)
        {
            var copy = app.DeepClone();
            copy["pages"]![0]!["jsObjects"]![0]!["code"] = jsCode[..i] + (i % 4 == 1 ? "" : " )( " + jsCode[i..]);
            yield return new($"JSObject1.js #{i}", "/api/apps/fuzz", copy.ToJsonString(), "app.json");
        }

        // 5. module.json: every field with every wrong value.
        foreach (var (path, mutate) in Paths(module))
            for (int v = 0; v < WrongValues.Length; v++)
            {
                var m = module.DeepClone();
                m["code"] = code;
                mutate(m, WrongValues[v]?.DeepClone());
                m["version"] = m["version"] is JsonValue jv && jv.TryGetValue<string>(out _) ? $"1.0.{version}" : m["version"];
                yield return new($"module {path} = #{v}", $"/api/modules/Auth/versions/1.0.{version++}", m.ToJsonString(), "module.json");
            }
    }

    // Each leaf and container of the document, with a way to replace it in a copy.
    private static IEnumerable<(string Path, Action<JsonNode, JsonNode?> Mutate)> Paths(JsonNode root, string path = "")
    {
        switch (root)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToList())
                {
                    var childPath = path.Length == 0 ? key : $"{path}.{key}";
                    var parentPath = path;
                    yield return (childPath, (doc, value) => ((JsonObject)Navigate(doc, parentPath))[key] = value);
                    if (child is not null) foreach (var p in Paths(child, childPath)) yield return p;
                }
                break;
            case JsonArray a:
                for (int i = 0; i < a.Count; i++)
                {
                    var index = i;
                    var parentPath = path;
                    yield return ($"{path}[{i}]", (doc, value) => ((JsonArray)Navigate(doc, parentPath))[index] = value);
                    if (a[i] is { } child) foreach (var p in Paths(child, $"{path}[{i}]")) yield return p;
                }
                break;
        }
    }

    private static JsonNode Navigate(JsonNode doc, string path)
    {
        var node = doc;
        foreach (var part in path.Replace("[", ".[").Split('.', StringSplitOptions.RemoveEmptyEntries))
            node = part.StartsWith('[') ? node[int.Parse(part[1..^1])]! : node[part]!;
        return node;
    }

    [Fact]
    public async Task GeneratedMalformedDefinitions_AreEach400WithALocation_Never500_NeverAHang()
    {
        var cases = Cases().ToList();
        Assert.InRange(cases.Count, 1500, 4000);
        var failures = new List<string>();
        int rejected = 0;
        foreach (var c in cases)
        {
            HttpResponseMessage response;
            try
            {
                response = await _admin.PutAsync(c.Url, PageLoadEndToEndTests.Json(c.Body));
            }
            catch (TaskCanceledException)
            {
                failures.Add($"{c.Name}: no answer within {PerRequest.TotalSeconds} s");
                continue;
            }
            var text = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode) continue; // a mutation that is still a valid definition
            if (response.StatusCode != HttpStatusCode.BadRequest) { failures.Add($"{c.Name}: {(int)response.StatusCode} {Trim(text)}"); continue; }
            rejected++;
            var errors = JsonNode.Parse(text)?["errors"] as JsonArray;
            var first = errors?.FirstOrDefault();
            if (first is null) { failures.Add($"{c.Name}: 400 without errors: {Trim(text)}"); continue; }
            var file = first["file"]?.GetValue<string>();
            var path = first["path"]?.GetValue<string>();
            var hasLine = first["line"] is not null && first["column"] is not null;
            var isCode = file is not null && file.EndsWith(".js", StringComparison.Ordinal);
            if (string.IsNullOrEmpty(file) || (string.IsNullOrEmpty(path) && !hasLine) || (isCode && !hasLine))
                failures.Add($"{c.Name}: 400 without a full location: {Trim(text)}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed ({rejected} rejected):\n{string.Join("\n", failures.Take(40))}");
        Assert.True(rejected > cases.Count / 2, $"only {rejected} of {cases.Count} rejected");
    }

    private static string Trim(string s) => s.Length > 300 ? s[..300] : s;
}
