using LowCodeTokens.Tests.EngineTests;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Capacity;

/// <summary>Issue 15 item 11: store values and scopes have a size limit; a write past it is a script error and loses nothing stored.</summary>
public sealed class StoreQuotaTests
{
    private const string Code = """
        export default {
          async put(key, length) { await storeValue(key, 'x'.repeat(length)); return Object.keys(appsmith.store).length; },
          async keep(key, length) { await storeValue(key, 'x'.repeat(length), false); return 1; },
          async drop(key) { await removeValue(key); return 1; },
        }
        """;

    // A value of 1,500 x's is 1,502 bytes of JSON; with a two-letter key 1,504 bytes of the scope.
    private static EngineHarness Limited() => EngineHarness.Create(o =>
    {
        o.Store.MaxValueBytes = 2048;
        o.Store.MaxScopeBytes = 8192;
    });

    [Fact]
    public async Task StoreValue_LargerThanMaxValueBytes_FailsNamingTheKeyAndTheLimitAndKeepsWhatWasStored()
    {
        await using var app = await ScriptApp.StartAsync(Code, engine: Limited());
        Assert.Equal("1", await app.ValueAsync("JSObject1.put", """["kept", 100]"""));

        var error = await app.ErrorAsync("JSObject1.put", """["big", 5000]""");
        var local = await app.ErrorAsync("JSObject1.keep", """["big", 5000]""");

        Assert.Contains("storeValue('big')", error);
        Assert.Contains("2,048 bytes", error);
        Assert.Contains("Store:MaxValueBytes", error);
        Assert.Contains("Store:MaxValueBytes", local);
        var stored = (await app.Engine.Store.ReadAsync(app.App, "app")).Values;
        Assert.Equal(["kept"], stored.Keys);
        Assert.Equal(102, stored["kept"].Length);
    }

    [Fact]
    public async Task StoreValue_PastMaxScopeBytes_FailsNamingTheKeyAndTheLimitInEverySessionOfTheScope()
    {
        await using var app = await ScriptApp.StartAsync(Code, engine: Limited());
        for (var i = 0; i < 5; i++)
            Assert.Equal($"{i + 1}", await app.ValueAsync("JSObject1.put", $"""["a{i}", 1500]"""));

        var error = await app.ErrorAsync("JSObject1.put", """["a5", 1500]""");

        Assert.Contains("storeValue('a5')", error);
        Assert.Contains("8,192 bytes", error);
        Assert.Contains("Store:MaxScopeBytes", error);
        Assert.Equal(5, (await app.Engine.Store.ReadAsync(app.App, "app")).Values.Count);

        // Another session of the same scope counts what is stored, not what it wrote itself; another scope has its own room.
        var other = await app.Engine.Runtime.LoadPageAsync(app.App, "Home", "app");
        Assert.NotNull((await app.Engine.RunAsync(app.App, other.SessionId, "JSObject1.put", """["a5", 1500]""")).Error);
        var bob = await app.Engine.Runtime.LoadPageAsync(app.App, "Home", "bob");
        Assert.Null((await app.Engine.RunAsync(app.App, bob.SessionId, "JSObject1.put", """["a5", 1500]""")).Error);

        // Room made by removing a value can be used again.
        Assert.Equal("1", await app.ValueAsync("JSObject1.drop", """["a0"]"""));
        Assert.Equal("5", await app.ValueAsync("JSObject1.put", """["a5", 1500]"""));
        Assert.Equal(["a1", "a2", "a3", "a4", "a5"], (await app.Engine.Store.ReadAsync(app.App, "app")).Values.Keys.Order());
    }
}
