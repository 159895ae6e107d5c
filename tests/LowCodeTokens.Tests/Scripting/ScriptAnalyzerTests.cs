using Jint;
using Jint.Native;
using Jint.Runtime;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Engine.Scripting.Analysis;
using JsEngine = Jint.Engine;

namespace LowCodeTokens.Tests.Scripting;

public sealed class ScriptAnalyzerTests
{
    // ---- Module members ----

    [Fact]
    public void AnalyzeModule_ShippedAuthModule_ListsItsFunctionsAndWhichAreAsync()
    {
        var code = File.ReadAllText(Path.Combine(RepoRoot(), "definitions", "modules", "auth", "main.js"));

        var result = ScriptAnalyzer.AnalyzeModule(code);

        Assert.Null(result.Analysis.Error);
        Assert.NotNull(result.FactorySource);
        Assert.Equal(
            [("getAccessToken", true, true), ("verifyAccessTokenExpired", true, false), ("refreshAccessToken", true, true), ("generateAccessToken", true, true),
             ("acceptTokens", true, true), ("needsSignIn", true, false), ("releaseTokens", true, true)],
            result.Analysis.Members.Select(m => (m.Name, m.IsFunction, m.IsAsync)));
        // Module-level helpers are read as free names from inside the members.
        Assert.Contains(["isFresh"], Refs(result.Analysis.Members[0]));
        Assert.Contains(["generate"], Refs(result.Analysis.Members[3]));
    }

    [Fact]
    public void AnalyzeModule_ArrowCallingOtherEntities_ListsTheirMemberChains()
    {
        var result = ScriptAnalyzer.AnalyzeModule(
            "export default {\n  onPageLoad: () => Auth_Module.getAccessToken().then(() => getusers_API.run())\n}");

        var member = Assert.Single(result.Analysis.Members);
        Assert.Equal("onPageLoad", member.Name);
        Assert.True(member.IsFunction);
        Assert.False(member.IsAsync);
        Assert.Contains(["Auth_Module", "getAccessToken"], Refs(member));
        Assert.Contains(["getusers_API", "run"], Refs(member));
    }

    [Fact]
    public void AnalyzeModule_MembersOfEveryKind_ReportsNamesKindsAndAsync()
    {
        var result = ScriptAnalyzer.AnalyzeModule("""
            export default {
              count: 1,
              label: 'x',
              'dashed-name': true,
              0x10: 'sixteen',
              shorthand,
              method() {},
              async asyncMethod() {},
              *generator() {},
              plain: function () {},
              arrow: async () => 1,
            }
            """);

        Assert.Null(result.Analysis.Error);
        Assert.Equal(
            [
                ("count", false, false), ("label", false, false), ("dashed-name", false, false), ("16", false, false),
                ("shorthand", false, false), ("method", true, false), ("asyncMethod", true, true), ("generator", true, false),
                ("plain", true, false), ("arrow", true, true),
            ],
            result.Analysis.Members.Select(m => (m.Name, m.IsFunction, m.IsAsync)));
        Assert.All(result.Analysis.Members.Where(m => !m.IsFunction), m => Assert.Empty(m.References));
    }

    [Fact]
    public void AnalyzeModule_NamesBoundInsideTheFunction_AreNotReferences()
    {
        var result = ScriptAnalyzer.AnalyzeModule("""
            export default {
              async run(page, { size = defaults.size }) {
                const { data: rows, ...rest } = await users_API.run({ page, size });
                let [first] = rows;
                function format(row) { return row.name + suffix; }
                try { return rows.map(format).concat(first, rest); } catch (err) { return err.message; }
              },
            }
            """);

        var member = Assert.Single(result.Analysis.Members);
        Assert.Equal([["defaults", "size"], ["users_API", "run"], ["suffix"]], Refs(member));
    }

    // ---- Module errors ----

    [Fact]
    public void AnalyzeModule_SyntaxError_ReportsTheParserMessageAtItsPosition()
    {
        var result = ScriptAnalyzer.AnalyzeModule("export default {\n  a: 1,\n  b: 2\n  c: 3\n}");

        AssertError(result, "Unexpected identifier 'c'", 4, 3);
    }

    [Fact]
    public void AnalyzeModule_ImportDeclaration_IsRefusedAtTheStatement()
    {
        var result = ScriptAnalyzer.AnalyzeModule("const x = 1;\nimport fs from 'fs';\nexport default {}");

        AssertError(result, "import is not available in scripts: all I/O goes through queries", 2, 1);
    }

    [Theory]
    [InlineData("const a = 1;\nexport const x = 1;\nexport default {}")]
    [InlineData("const a = 1;\nexport { a };\nexport default {}")]
    [InlineData("const a = 1;\nexport * from 'other';\nexport default {}")]
    public void AnalyzeModule_ExportOtherThanDefault_IsRefusedAtTheStatement(string code)
    {
        AssertError(ScriptAnalyzer.AnalyzeModule(code), "only `export default { ... }` is supported", 2, 1);
    }

    [Fact]
    public void AnalyzeModule_TwoDefaultExports_IsRefusedAtTheSecond()
    {
        // The parser reports the duplicate before the module rule can, with its own message.
        var result = ScriptAnalyzer.AnalyzeModule("export default {}\nexport default {}");

        AssertError(result, "Duplicate export of 'default'", 2, 8);
    }

    [Fact]
    public void AnalyzeModule_NoDefaultExport_IsRefusedAtTheStart()
    {
        var result = ScriptAnalyzer.AnalyzeModule("const x = 1;\nconst y = 2;");

        AssertError(result, "the code must `export default { ... }` an object", 1, 1);
    }

    [Theory]
    [InlineData("export default function () {}", 1, 16)]
    [InlineData("const a = 1;\nexport default\n  [a]", 3, 3)]
    [InlineData("export default 42", 1, 16)]
    public void AnalyzeModule_DefaultIsNotAnObjectLiteral_IsRefusedAtTheDeclaration(string code, int line, int column)
    {
        AssertError(ScriptAnalyzer.AnalyzeModule(code), "`export default` must be an object literal: export default { ... }", line, column);
    }

    [Fact]
    public void AnalyzeModule_DynamicImportInAMember_IsRefusedAtTheImport()
    {
        var result = ScriptAnalyzer.AnalyzeModule("export default {\n  run: () => import('fs'),\n}");

        AssertError(result, "import() is not available in scripts: all I/O goes through queries", 2, 14);
    }

    [Fact]
    public void AnalyzeModule_ImportMeta_IsRefusedAtTheMetaProperty()
    {
        var result = ScriptAnalyzer.AnalyzeModule("export default {\n  url: () => import.meta.url,\n}");

        AssertError(result, "import.meta is not available in scripts", 2, 14);
    }

    [Theory]
    [InlineData("const token = await fetchToken();\nexport default {}", 1, 15)]
    [InlineData("export default {}\nfor await (const x of source) {}", 2, 1)]
    [InlineData("export default {}\nif (ready) {\n  await start();\n}", 3, 3)]
    public void AnalyzeModule_TopLevelAwait_IsRefusedAtTheAwait(string code, int line, int column)
    {
        AssertError(ScriptAnalyzer.AnalyzeModule(code), "top-level await is not supported; use it inside a function", line, column);
    }

    [Fact]
    public void AnalyzeModule_AwaitInsideAFunction_IsAccepted()
    {
        var result = ScriptAnalyzer.AnalyzeModule(
            "const load = async () => await source.run();\nexport default { run: async () => { for await (const x of stream) {} } }");

        Assert.Null(result.Analysis.Error);
    }

    [Fact]
    public void AnalyzeModule_SpreadInTheDefault_IsRefusedAtTheSpread()
    {
        var result = ScriptAnalyzer.AnalyzeModule("const base = {};\nexport default {\n  a: 1,\n  ...base,\n}");

        AssertError(result, "spread is not supported in the default export", 4, 3);
    }

    [Fact]
    public void AnalyzeModule_ComputedMemberName_IsRefusedAtTheMember()
    {
        var result = ScriptAnalyzer.AnalyzeModule("export default {\n  a: 1,\n  ['b' + 'c']: 2,\n}");

        AssertError(result, "computed member names are not supported in the default export", 3, 3);
    }

    [Theory]
    [InlineData("export default {\n  get total() { return 1; },\n}")]
    [InlineData("export default {\n  set total(v) {},\n}")]
    public void AnalyzeModule_GetterOrSetter_IsRefusedAtTheMember(string code)
    {
        AssertError(ScriptAnalyzer.AnalyzeModule(code), "getters and setters are not supported in the default export", 2, 3);
    }

    [Fact]
    public void AnalyzeModule_Hashbang_IsASyntaxError()
    {
        var result = ScriptAnalyzer.AnalyzeModule("#!/usr/bin/env node\nexport default {}");

        Assert.NotNull(result.Analysis.Error);
        Assert.Equal((1, 1), (result.Analysis.Error.Line, result.Analysis.Error.Column));
    }

    [Fact]
    public void AnalyzeModule_NestedTooDeeply_IsAnErrorNotACrash()
    {
        var code = "export default { a: " + new string('[', 100_000) + new string(']', 100_000) + " }";

        var result = ScriptAnalyzer.AnalyzeModule(code);

        Assert.NotNull(result.Analysis.Error);
        Assert.Null(result.FactorySource);
    }

    // ---- Binding expressions ----

    [Theory]
    [InlineData("getusers_API.data.results", new[] { "getusers_API.data.results" })]
    [InlineData("(getusers_API.data?.results ?? []).length", new[] { "getusers_API.data.results" })]
    [InlineData("this.params.id ?? 'none'", new string[0])]
    [InlineData("x => x.a", new string[0])]
    [InlineData("a['b'].c", new[] { "a.b.c" })]
    [InlineData("a[i].c", new[] { "a", "i" })]
    [InlineData("a[b.c].d", new[] { "a", "b.c" })]
    [InlineData("Auth_Module.getAccessToken.data", new[] { "Auth_Module.getAccessToken.data" })]
    [InlineData("JSObject1.onPageLoad()", new[] { "JSObject1.onPageLoad" })]
    [InlineData("a.b + a['b'] + a.b", new[] { "a.b" })]
    [InlineData("`${user.first} ${user.last}`", new[] { "user.first", "user.last" })]
    [InlineData("format(total.value, { unit: currency })", new[] { "format", "total.value", "currency" })]
    public void AnalyzeExpression_Binding_ListsItsReferences(string expression, string[] expected)
    {
        var result = ScriptAnalyzer.AnalyzeExpression(expression);

        Assert.Null(result.Error);
        Assert.Equal(expected, result.References.Select(r => string.Join('.', r)));
    }

    [Theory]
    [InlineData("a; b")]
    [InlineData("let x = 1")]
    [InlineData("if (a) b")]
    [InlineData("a\n  b")]
    public void AnalyzeExpression_MoreThanOneExpressionOrAStatement_IsRefusedAtTheStart(string expression)
    {
        var result = ScriptAnalyzer.AnalyzeExpression(expression);

        Assert.Empty(result.References);
        Assert.Equal(new SourceError("a binding must be a single JavaScript expression", 1, 1), result.Error);
    }

    [Fact]
    public void AnalyzeExpression_SyntaxError_IsPlacedWithinTheExpressionText()
    {
        var result = ScriptAnalyzer.AnalyzeExpression("total +\n  * 2");

        Assert.Equal(new SourceError("Unexpected token '*'", 2, 3), result.Error);
    }

    [Fact]
    public void AnalyzeExpression_DynamicImport_IsRefusedAtTheImport()
    {
        var result = ScriptAnalyzer.AnalyzeExpression("ready ? import('fs') : null");

        Assert.Equal(new SourceError("import() is not available in scripts: all I/O goes through queries", 1, 9), result.Error);
    }

    [Fact]
    public void AnalyzeExpression_ImportMeta_IsRefused()
    {
        var result = ScriptAnalyzer.AnalyzeExpression("import.meta.url");

        Assert.NotNull(result.Error);
        Assert.Contains("import.meta", result.Error.Message);
        Assert.Empty(result.References);
    }

    [Fact]
    public void AnalyzeExpression_AwaitOutsideAFunction_IsRefused()
    {
        var result = ScriptAnalyzer.AnalyzeExpression("1 + await users_API.run()");

        Assert.Equal(new SourceError("await is not supported in a binding; use it inside an async function", 1, 5), result.Error);
    }

    [Fact]
    public void AnalyzeExpression_CalledConcurrently_GivesEachCallItsOwnResult()
    {
        var expressions = Enumerable.Range(0, 200).Select(i => $"entity{i}.data.rows[{i}].name").ToArray();
        var results = new ExpressionAnalysis[expressions.Length];

        Parallel.For(0, expressions.Length, i => results[i] = ScriptAnalyzer.AnalyzeExpression(expressions[i]));

        Assert.All(Enumerable.Range(0, expressions.Length), i => Assert.Equal([[$"entity{i}", "data", "rows"]], Refs(results[i])));
    }

    // ---- The factory, run in Jint ----

    [Fact]
    public void AnalyzeModule_FactoryRunInJint_ReturnsTheObjectAndArrowMembersSeeThis()
    {
        var result = ScriptAnalyzer.AnalyzeModule("""
            const greeting = 'hello';
            export default {
              name: 'object',
              greet: () => `${greeting} ${this.owner}`,
              shout() { return this.greet().toUpperCase(); },
            }
            """);
        var engine = new JsEngine();
        var self = engine.Evaluate("({ owner: 'self' })");

        var factory = engine.Evaluate(JsEngine.PrepareScript(result.FactorySource!));
        var exported = engine.Call(factory, self, []).AsObject();

        Assert.Equal("object", exported.Get("name").AsString());
        Assert.Equal("hello self", engine.Invoke(exported.Get("greet"), exported, []).AsString());
        // The runtime copies the members onto the this-object, so methods and arrows agree on this.
        engine.SetValue("self", self).SetValue("exported", exported).Execute("Object.assign(self, exported)");
        Assert.Equal("HELLO SELF", engine.Evaluate("self.shout()").AsString());
    }

    [Fact]
    public void AnalyzeModule_FactoryRunInJint_ReportsRuntimeErrorsOnTheOriginalLine()
    {
        var result = ScriptAnalyzer.AnalyzeModule("""
            // line 1
            const helper = () => {
              throw new Error('helper failed');
            };
            export default {
              run() {
                return helper();
              },
              broken() {
                return missing.value;
              },
            }
            """);
        var engine = new JsEngine();
        var exported = engine.Call(engine.Evaluate(JsEngine.PrepareScript(result.FactorySource!)), engine.Evaluate("({})"), []);

        var thrown = Assert.Throws<JavaScriptException>(() => engine.Invoke(exported.Get("run"), exported, []));
        var missing = Assert.Throws<JavaScriptException>(() => engine.Invoke(exported.Get("broken"), exported, []));

        Assert.Equal(3, thrown.Location.Start.Line);
        Assert.Contains(":3:", thrown.JavaScriptStackTrace);
        Assert.Equal(10, missing.Location.Start.Line);
    }

    [Fact]
    public void AnalyzeModule_FactoryRunInJint_ShiftsColumnsOfTheFirstLineByThePrefix()
    {
        const string code = "const fail = () => missing.value;\nexport default { run: () => fail() }";
        var result = ScriptAnalyzer.AnalyzeModule(code);
        var engine = new JsEngine();
        var exported = engine.Call(engine.Evaluate(JsEngine.PrepareScript(result.FactorySource!)), engine.Evaluate("({})"), []);

        var thrown = Assert.Throws<JavaScriptException>(() => engine.Invoke(exported.Get("run"), exported, []));

        // Jint's columns are 0-based, like the parser's.
        Assert.Equal((1, code.IndexOf("missing", StringComparison.Ordinal) + ModuleFactory.Prefix.Length), (thrown.Location.Start.Line, thrown.Location.Start.Column));
    }

    [Fact]
    public void AnalyzeModule_ParenthesizedDefault_BuildsARunnableFactory()
    {
        var result = ScriptAnalyzer.AnalyzeModule("export default /* ( */ (\n  { answer: 42 }\n)");
        var engine = new JsEngine();

        var exported = engine.Call(engine.Evaluate(JsEngine.PrepareScript(result.FactorySource!)), engine.Evaluate("({})"), []);

        Assert.Equal(42, exported.Get("answer").AsNumber());
    }

    [Fact]
    public void AnalyzeModule_ValidModule_KeepsTheOriginalTextAfterTheExport()
    {
        var code = "const a = 1;\nexport   default  {\n  b: a,\n}\n// trailing comment";

        var result = ScriptAnalyzer.AnalyzeModule(code);

        Assert.Equal(
            ModuleFactory.Prefix + "const a = 1;\n__lcDefault=      {\n  b: a,\n}\n// trailing comment\n;return __lcDefault;})",
            result.FactorySource);
    }

    [Fact]
    public void AnalyzeModule_InvalidModule_HasNoFactorySource()
    {
        var result = ScriptAnalyzer.AnalyzeModule("export default {\n  run: () => import('fs'),\n}");

        Assert.Null(result.FactorySource);
        Assert.Empty(result.Analysis.Members);
    }

    private static void AssertError(AnalyzedModule result, string message, int line, int column)
    {
        Assert.Equal(new SourceError(message, line, column), result.Analysis.Error);
        Assert.Empty(result.Analysis.Members);
        Assert.Null(result.FactorySource);
    }

    private static IEnumerable<string[]> Refs(ModuleMember member) => member.References.Select(r => r.ToArray());

    private static IEnumerable<string[]> Refs(ExpressionAnalysis expression) => expression.References.Select(r => r.ToArray());

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LowCodeTokens.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LowCodeTokens.sln not found above " + AppContext.BaseDirectory);
    }
}
