using System.Text;
using LowCodeTokens.Tests.EngineTests;

namespace LowCodeTokens.Tests.Scripting;

/// <summary>JSON entering scripts (query data, JWT segments, store values) is read as JSON.parse would read it.</summary>
public sealed class JsonReadingTests
{
    private static string Segment(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Task<ScriptApp> StartAsync() => ScriptApp.StartAsync("""
        export default {
          payload(token) { return jwt.decode(token).payload; },
          shape(token) {
            const p = jwt.decode(token).payload;
            return { a: p.a, ownProto: Object.prototype.hasOwnProperty.call(p, '__proto__'), protoIsObject: Object.getPrototypeOf(p) === Object.prototype, n: p.n, deep: p.list[1].x === '\u00e9\n', neg: Object.is(p.z, -0) };
          },
        }
        """);

    [Fact]
    public async Task Parse_DuplicateKeysProtoKeyNumbersAndNesting_AsJsonParse()
    {
        await using var app = await StartAsync();
        var token = $"{Segment("{}")}.{Segment("""{"a":1,"a":2,"__proto__":{"x":1},"n":1.5e3,"z":-0,"list":[null,{"x":"é\n"}]}""")}.sig";

        var shape = await app.ValueAsync("JSObject1.shape", $"[\"{token}\"]");

        Assert.Equal("""{"a":2,"ownProto":true,"protoIsObject":true,"n":1500,"deep":true,"neg":true}""", shape);
    }

    [Theory]
    [InlineData("""{"a":1""")]
    [InlineData("""{"a":1} extra""")]
    [InlineData("""{'a':1}""")]
    [InlineData("""[1,]""")]
    public async Task Parse_InvalidJson_IsASyntaxErrorNamedByItsCaller(string json)
    {
        await using var app = await StartAsync();
        var token = $"{Segment("{}")}.{Segment(json)}.sig";

        var error = await app.ErrorAsync("JSObject1.payload", $"[\"{token}\"]");

        Assert.Contains("jwt.decode: the payload segment is not JSON", error);
    }

    [Fact]
    public async Task Parse_NestedDeeperThanTheLimit_FailsInsteadOfRecursing()
    {
        await using var app = await StartAsync();
        var token = $"{Segment("{}")}.{Segment(new string('[', 300) + new string(']', 300))}.sig";

        Assert.Contains("is not JSON", await app.ErrorAsync("JSObject1.payload", $"[\"{token}\"]"));
    }
}
