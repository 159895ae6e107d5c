using LowCodeTokens.Engine.Tokens;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Tests.Telemetry;

public sealed class TokenEventOptionsValidatorTests
{
    [Theory]
    [InlineData(0, 6, 5, "Events:PerApp must be at least 1")]
    [InlineData(1000, 0, 5, "Webhooks:MaxAttempts must be at least 1")]
    [InlineData(1000, 6, 0, "Webhooks:FirstRetryDelay must be positive")]
    public async Task EventLog_WithASettingThatKeepsNothingOrRetriesAtOnce_IsRefusedNamingTheSetting(int perApp, int attempts, int firstRetrySeconds, string expected)
    {
        await using var engine = EngineHarness.Create(o =>
        {
            o.Events.PerApp = perApp;
            o.Webhooks.MaxAttempts = attempts;
            o.Webhooks.FirstRetryDelay = TimeSpan.FromSeconds(firstRetrySeconds);
        });

        var error = Assert.Throws<OptionsValidationException>(() => engine.Services.GetRequiredService<ITokenEventLog>());

        Assert.Contains(expected, error.Message);
    }
}
