using LowCodeTokens.Engine;
using LowCodeTokens.Host;
using LowCodeTokens.Host.Definitions;
using LowCodeTokens.Host.Demo;
using LowCodeTokens.Host.OpenApi;
using LowCodeTokens.Host.Telemetry;

// `check <folder>` and `schemas <dir>` run without a server or a database.
if (await HostCommands.TryRunAsync(args, Console.Out) is { } exitCode)
    return exitCode;

// Reading the machine's time zones for the script engine (~0.4 s of CPU) overlaps the rest of the start.
LowCodeTokens.Engine.Scripting.Jint.ScriptEnginePriming.Begin();
LaunchEnvironment.ApplyDefault();
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddLowCodeEngine(builder.Configuration);
builder.Services.AddLowCodeHost(builder.Configuration);
builder.Services.AddLowCodeTelemetry(builder.Configuration);
if (builder.Environment.IsDevelopment() && builder.Configuration.GetValue("LowCodeTokens:Demo", true))
{
    builder.Services.AddHostedService<DemoStartup>();
    // The demo's token server and users API listen on 127.0.0.1, which queries may reach only when the operator allows it.
    builder.Services.Configure<LowCodeEngineOptions>(o => o.Queries.AllowLoopback = true);
    // The demo's definitions (copied beside the host from the repository's definitions/) unless a folder is configured.
    builder.Configuration["LowCodeTokens:Definitions:Path"] ??= Path.Combine(AppContext.BaseDirectory, "definitions");
}
builder.Services.AddDefinitionsFolder(builder.Configuration);

var app = builder.Build();
app.UseLowCodeHost();
app.MapLowCodeEndpoints();
app.MapDefinitionSchemas();
app.MapApiReference();
app.Run();
return 0;

public partial class Program;
