using LowCodeTokens.Engine;
using LowCodeTokens.Host;
using LowCodeTokens.Host.Demo;
using LowCodeTokens.Host.Telemetry;

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
}

var app = builder.Build();
app.UseLowCodeHost();
app.MapLowCodeEndpoints();
app.Run();

public partial class Program;
