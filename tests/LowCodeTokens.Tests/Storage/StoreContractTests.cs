using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Tests.Storage;

/// <summary>
/// What every store provider must do. Each test uses its own app names, so a provider may share one database between tests.
/// </summary>
public abstract class StoreContractTests
{
    private static readonly TimeSpan Failsafe = TimeSpan.FromSeconds(30);

    private protected abstract IAppStore Store { get; }
    private protected abstract IDefinitionRepository Definitions { get; }

    protected static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task ReadAsync_NeverWritten_ReturnsEmptyWithVersionZero()
    {
        var snapshot = await Store.ReadAsync(NewName("app"), "app");

        Assert.Equal(0, snapshot.Version);
        Assert.Empty(snapshot.Values);
    }

    [Fact]
    public async Task ApplyAsync_EachCall_IncreasesVersion()
    {
        var app = NewName("app");

        var first = await Store.ApplyAsync(app, "app", [StoreWrite.Set("a", "1")]);
        var second = await Store.ApplyAsync(app, "app", [StoreWrite.Set("a", "2")]);
        var third = await Store.ApplyAsync(app, "app", [StoreWrite.Remove("a")]);

        Assert.True(first > 0);
        Assert.True(second > first);
        Assert.True(third > second);
        Assert.Equal(third, (await Store.ReadAsync(app, "app")).Version);
    }

    [Fact]
    public async Task ApplyAsync_SetOverwriteAndRemoveInOneBatch_AppliesInOrder()
    {
        var app = NewName("app");

        await Store.ApplyAsync(app, "app",
        [
            StoreWrite.Set("token", "\"old\""), StoreWrite.Set("keep", "{\"n\":1}"),
            StoreWrite.Set("token", "\"new\""), StoreWrite.Set("gone", "true"), StoreWrite.Remove("gone"),
        ]);

        var values = (await Store.ReadAsync(app, "app")).Values;
        Assert.Equal(2, values.Count);
        Assert.Equal("\"new\"", values["token"]);
        Assert.Equal("{\"n\":1}", values["keep"]);
    }

    [Fact]
    public async Task ApplyAsync_ClearBetweenSets_KeepsOnlyLaterSets()
    {
        var app = NewName("app");
        await Store.ApplyAsync(app, "app", [StoreWrite.Set("before", "1")]);

        await Store.ApplyAsync(app, "app", [StoreWrite.Set("same-batch", "2"), StoreWrite.Clear, StoreWrite.Set("after", "3")]);

        var values = (await Store.ReadAsync(app, "app")).Values;
        Assert.Equal(["after"], values.Keys);
        Assert.Equal("3", values["after"]);
    }

    [Fact]
    public async Task ApplyAsync_RemoveMissingKey_StillBumpsVersion()
    {
        var app = NewName("app");

        var version = await Store.ApplyAsync(app, "app", [StoreWrite.Remove("nothing")]);

        Assert.True(version > 0);
        Assert.Empty((await Store.ReadAsync(app, "app")).Values);
    }

    [Fact]
    public async Task ApplyAsync_SetWithoutJson_ThrowsAndWritesNothing()
    {
        var app = NewName("app");

        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.ApplyAsync(app, "app", [StoreWrite.Set("ok", "1"), new StoreWrite(StoreWriteKind.Set, "bad")]));

        Assert.Equal(0, (await Store.ReadAsync(app, "app")).Version);
    }

    [Fact]
    public async Task ReadAsync_OtherScopeOrOtherApp_DoesNotSeeValues()
    {
        var app = NewName("app");
        var other = NewName("other");
        await Store.ApplyAsync(app, "alice", [StoreWrite.Set("token", "\"alice\"")]);
        await Store.ApplyAsync(app, "bob", [StoreWrite.Set("token", "\"bob\"")]);
        await Store.ApplyAsync(other, "alice", [StoreWrite.Set("token", "\"other-app\"")]);

        await Store.ApplyAsync(app, "bob", [StoreWrite.Clear]);

        Assert.Equal("\"alice\"", (await Store.ReadAsync(app, "alice")).Values["token"]);
        Assert.Empty((await Store.ReadAsync(app, "bob")).Values);
        Assert.Equal("\"other-app\"", (await Store.ReadAsync(other, "alice")).Values["token"]);
        Assert.Equal(0, (await Store.ReadAsync(app, "app")).Version);
    }

    [Fact]
    public async Task ListScopesAsync_AfterWrites_ListsThatAppsScopesOnly()
    {
        var app = NewName("app");
        await Store.ApplyAsync(app, "bob", [StoreWrite.Set("k", "1")]);
        await Store.ApplyAsync(app, "alice", [StoreWrite.Set("k", "1")]);
        await Store.ApplyAsync(NewName("other"), "carol", [StoreWrite.Set("k", "1")]);

        Assert.Equal(["alice", "bob"], await Store.ListScopesAsync(app));
    }

    [Fact]
    public async Task ApplyAsync_ManyConcurrentTasks_LosesNothing()
    {
        var app = NewName("app");
        const int writers = 40;

        var versions = await Task.WhenAll(Enumerable.Range(0, writers).Select(i =>
            Task.Run(() => Store.ApplyAsync(app, "app", [StoreWrite.Set($"k{i}", i.ToString())])))).WaitAsync(Failsafe);

        var snapshot = await Store.ReadAsync(app, "app");
        Assert.Equal(writers, snapshot.Values.Count);
        Assert.Equal(writers, versions.Distinct().Count());
        Assert.Equal(versions.Max(), snapshot.Version);
        Assert.All(Enumerable.Range(0, writers), i => Assert.Equal(i.ToString(), snapshot.Values[$"k{i}"]));
    }

    [Fact]
    public async Task TryAddModuleVersionAsync_ExistingVersion_ReturnsFalseAndKeepsOriginal()
    {
        var module = NewName("Auth");

        Assert.True(await Definitions.TryAddModuleVersionAsync(module, "1.0.0", "{\"v\":1}"));
        Assert.False(await Definitions.TryAddModuleVersionAsync(module, "1.0.0", "{\"v\":\"changed\"}"));

        Assert.Equal("{\"v\":1}", await Definitions.GetModuleVersionAsync(module, "1.0.0"));
    }

    [Fact]
    public async Task ListModuleVersionsAsync_SeveralVersions_ListsInPublishOrder()
    {
        var module = NewName("Auth");
        await Definitions.TryAddModuleVersionAsync(module, "1.1.0", "{}");
        await Definitions.TryAddModuleVersionAsync(module, "1.0.0", "{}");

        Assert.Equal(["1.1.0", "1.0.0"], await Definitions.ListModuleVersionsAsync(module));
        Assert.Contains(module, await Definitions.ListModulesAsync());
        Assert.Null(await Definitions.GetModuleVersionAsync(module, "2.0.0"));
    }

    [Fact]
    public async Task PutAppAsync_Twice_KeepsLatestDefinition()
    {
        var app = NewName("crm");

        await Definitions.PutAppAsync(app, "{\"v\":1}");
        await Definitions.PutAppAsync(app, "{\"v\":2}");

        Assert.Equal("{\"v\":2}", await Definitions.GetAppAsync(app));
        Assert.Contains(app, await Definitions.ListAppsAsync());
        Assert.Null(await Definitions.GetAppAsync(NewName("missing")));
    }

    [Fact]
    public async Task FindAppByKeyHashAsync_AddedKey_ReturnsItsApp()
    {
        var app = NewName("crm");
        var hash = NewName("hash");
        await Definitions.PutAppAsync(app, "{}");

        await Definitions.AddAppKeyAsync(app, hash);

        Assert.Equal(app, await Definitions.FindAppByKeyHashAsync(hash));
        Assert.Null(await Definitions.FindAppByKeyHashAsync(NewName("unknown")));
    }

    [Fact]
    public async Task DefinitionsDeleteAppAsync_ExistingApp_RemovesAppKeysAndStoreOnly()
    {
        var app = NewName("crm");
        var other = NewName("other");
        var hash = NewName("hash");
        await Definitions.PutAppAsync(app, "{}");
        await Definitions.PutAppAsync(other, "{}");
        await Definitions.AddAppKeyAsync(app, hash);
        await Store.ApplyAsync(app, "alice", [StoreWrite.Set("token", "1")]);
        await Store.ApplyAsync(other, "alice", [StoreWrite.Set("token", "2")]);

        Assert.True(await Definitions.DeleteAppAsync(app));

        Assert.Null(await Definitions.GetAppAsync(app));
        Assert.Null(await Definitions.FindAppByKeyHashAsync(hash));
        Assert.Empty((await Store.ReadAsync(app, "alice")).Values);
        Assert.Empty(await Store.ListScopesAsync(app));
        Assert.Equal("2", (await Store.ReadAsync(other, "alice")).Values["token"]);
        Assert.NotNull(await Definitions.GetAppAsync(other));
        Assert.False(await Definitions.DeleteAppAsync(app));
    }

    [Fact]
    public async Task DefinitionsDeleteAppAsync_SeveralLargeScopes_RemovesEveryScope()
    {
        var app = NewName("crm");
        var value = "\"" + new string('x', 1_000_000) + "\"";
        await Definitions.PutAppAsync(app, "{}");
        foreach (var scope in new[] { "alice", "bob", "carol" })
            await Store.ApplyAsync(app, scope, [StoreWrite.Set("a", value), StoreWrite.Set("b", value)]);

        Assert.True(await Definitions.DeleteAppAsync(app));

        Assert.Empty(await Store.ListScopesAsync(app));
        foreach (var scope in new[] { "alice", "bob", "carol" })
            Assert.Equal(0, (await Store.ReadAsync(app, scope)).Version);
        // The name can be used again from an empty store.
        await Definitions.PutAppAsync(app, "{}");
        Assert.Empty((await Store.ReadAsync(app, "alice")).Values);
    }

    [Fact]
    public async Task AppStoreDeleteAppAsync_ExistingStore_RemovesStoreButKeepsDefinition()
    {
        var app = NewName("crm");
        await Definitions.PutAppAsync(app, "{}");
        await Store.ApplyAsync(app, "app", [StoreWrite.Set("token", "1")]);

        await Store.DeleteAppAsync(app);

        Assert.Equal(0, (await Store.ReadAsync(app, "app")).Version);
        Assert.NotNull(await Definitions.GetAppAsync(app));
    }
}
