using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Tests.Scripting;

public sealed class ScriptingOptionsValidatorTests
{
    [Theory]
    [InlineData(0, 90, 256, "TimeLimit must be between")]
    [InlineData(5, 1, 256, "InvocationDeadline (00:00:01) must not be shorter than the TimeLimit")]
    [InlineData(5, 90, 0, "MemoryLimitMb must be at least 1")]
    public async Task ScriptEngine_WithALimitThatLeavesScriptsUnboundedOrUnable_IsRefusedNamingTheSetting(int timeSeconds, int deadlineSeconds, int memoryMb, string expected)
    {
        await using var engine = EngineHarness.Create(o =>
        {
            o.Scripting.TimeLimit = TimeSpan.FromSeconds(timeSeconds);
            o.Scripting.InvocationDeadline = TimeSpan.FromSeconds(deadlineSeconds);
            o.Scripting.MemoryLimitMb = memoryMb;
        });

        var error = Assert.Throws<OptionsValidationException>(() => engine.Services.GetRequiredService<IScriptEngine>());

        Assert.Contains(expected, error.Message);
    }
}
