using LowCodeTokens.Tests.Tokens;

namespace LowCodeTokens.Tests.Definitions;

/// <summary>
/// Definitions folders for the tests, written to a temporary directory: the shipped Auth module (copied from the
/// repository) and a small Greeter module; apps <c>crm</c> (SPEC §1, through a token server at <c>${TOKEN_URL}</c>),
/// <c>greet</c> (inline code, a variable) and <c>hello</c> (<c>apps/hello/app.json</c> with its JS object in a side file).
/// </summary>
internal sealed class DefinitionFolders : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("lct-defs-").FullName;

    public const string GreeterModule = """
        {
          "name": "Greeter",
          "version": "1.0.0",
          "main": "main.js",
          "inputs": { "greeting": "hello" }
        }
        """;

    public const string GreeterCode = "export default {\n  greet(name) {\n    return `${inputs.greeting}, ${name}`;\n  },\n};\n";

    public const string GreetApp = """
        {
          "$schema": "../../schemas/app.json",
          "name": "greet",
          "modules": [ { "name": "Greeter_Module", "module": "Greeter@1", "inputs": { "greeting": "${GREETING}" } } ],
          "pages": [
            {
              "name": "Home",
              "jsObjects": [
                {
                  "name": "JSObject1",
                  "code": "export default {\n  who: 'world',\n  onPageLoad() { return Greeter_Module.greet(`${this.who}!`); }\n}",
                  "runOnPageLoad": ["onPageLoad"]
                }
              ],
              "widgets": [ { "name": "Text1", "type": "text", "text": "{{JSObject1.onPageLoad.data}}" } ]
            }
          ]
        }
        """;

    public const string HelloApp = """
        {
          "name": "hello",
          "modules": [ { "name": "Greeter_Module", "module": "Greeter@1.0.0" } ],
          "pages": [
            {
              "name": "Home",
              "jsObjects": [ { "name": "JSObject1", "codeFile": "JSObject1.js", "runOnPageLoad": ["onPageLoad"] } ],
              "widgets": [ { "name": "Text1", "type": "text", "text": "{{JSObject1.onPageLoad.data}}" } ]
            }
          ]
        }
        """;

    public const string HelloCode = "export default {\n  onPageLoad: () => Greeter_Module.greet('folder'),\n};\n";

    /// <summary>SPEC §1's app, its token server and users API at <c>${API_URL}</c> (<c>${API_HOST}</c>), its secret from <c>${CLIENT_SECRET}</c>.</summary>
    public const string CrmApp = """
        { "name": "crm",
          "allowedHosts": ["${API_HOST}"],
          "modules": [ { "name": "Auth_Module", "module": "Auth@1",
                         "inputs": { "tokenUrl": "${API_URL}/token", "clientId": "${CLIENT_ID}", "clientSecret": "${CLIENT_SECRET}" } } ],
          "datasources": [ { "name": "users_api", "baseUrl": "${API_URL}", "allowedHosts": ["${API_HOST}"] } ],
          "pages": [ { "name": "Home",
            "queries": [ { "name": "getusers_API", "datasource": "users_api", "method": "GET", "url": "/api/users",
                           "headers": { "Authorization": "JWT {{Auth_Module.getAccessToken.data}}" } } ],
            "jsObjects": [ { "name": "JSObject1",
                             "code": "export default { onPageLoad: () => Auth_Module.getAccessToken().then(() => getusers_API.run()) }",
                             "runOnPageLoad": ["onPageLoad"] } ],
            "widgets": [ { "name": "Table1", "type": "table", "tableData": "{{getusers_API.data.results}}" } ] } ] }
        """;

    /// <summary>Two modules and three apps.</summary>
    public static DefinitionFolders Standard()
    {
        var folders = new DefinitionFolders();
        var shipped = Path.Combine(AuthApp.RepoRoot(), "definitions", "modules", "auth");
        folders.Write("modules/auth/module.json", File.ReadAllText(Path.Combine(shipped, "module.json")));
        folders.Write("modules/auth/main.js", File.ReadAllText(Path.Combine(shipped, "main.js")));
        folders.Write("modules/greeter/module.json", GreeterModule);
        folders.Write("modules/greeter/main.js", GreeterCode);
        folders.Write("apps/crm.json", CrmApp);
        folders.Write("apps/greet.json", GreetApp);
        folders.Write("apps/hello/app.json", HelloApp);
        folders.Write("apps/hello/JSObject1.js", HelloCode);
        return folders;
    }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Write(string relative, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(relative))!);
        File.WriteAllText(PathOf(relative), text);
    }

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Replaces <paramref name="old"/> (which must be there) in a file.</summary>
    public void Replace(string relative, string old, string replacement)
    {
        var text = Read(relative);
        Assert.Contains(old, text);
        Write(relative, text.Replace(old, replacement, StringComparison.Ordinal));
    }

    /// <summary>The 1-based line and column where <paramref name="text"/> first starts in a file.</summary>
    public (int Line, int Column) Find(string relative, string text)
    {
        var lines = Read(relative).Split('\n');
        for (int i = 0; i < lines.Length; i++)
            if (lines[i].IndexOf(text, StringComparison.Ordinal) is var column and >= 0) return (i + 1, column + 1);
        throw new InvalidOperationException($"'{text}' is not in {relative}");
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
