using System.Net;

namespace LowCodeTokens.Tests.Host;

public sealed class AdminKeyTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lct-host-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task Start_DevelopmentWithoutConfiguredKey_GeneratesKeyFileAndReusesIt()
    {
        string firstKey;
        using (var factory = new HostApiFactory(adminKey: null, dataDir: _dataDir))
        using (var client = factory.CreateClient())
        {
            var path = Path.Combine(_dataDir, "admin.key");
            Assert.True(File.Exists(path));
            firstKey = (await File.ReadAllTextAsync(path)).Trim();
            Assert.StartsWith("lct_", firstKey);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

            var accepted = await ApiEndpointTests.SendAsync(client, HttpMethod.Get, "/api/apps", firstKey);
            var refused = await ApiEndpointTests.SendAsync(client, HttpMethod.Get, "/api/apps", "lct_wrong");
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var factory = new HostApiFactory(adminKey: null, dataDir: _dataDir))
        using (var client = factory.CreateClient())
        {
            var response = await ApiEndpointTests.SendAsync(client, HttpMethod.Get, "/api/apps", firstKey);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public void Start_ProductionWithoutConfiguredKey_FailsAndWritesNoKeyFile()
    {
        using var factory = new HostApiFactory(adminKey: null, dataDir: _dataDir, environment: "Production");

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains("LowCodeTokens:AdminKey", error.Message);
        Assert.False(File.Exists(Path.Combine(_dataDir, "admin.key")));
    }

    [Fact]
    public async Task Start_ConfiguredKey_WritesNoKeyFile()
    {
        using var factory = new HostApiFactory(dataDir: _dataDir);
        using var client = factory.CreateClient();

        var response = await ApiEndpointTests.SendAsync(client, HttpMethod.Get, "/api/apps", HostApiFactory.DefaultAdminKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(File.Exists(Path.Combine(_dataDir, "admin.key")));
    }
}
