using LowCodeTokens.Engine;
using LowCodeTokens.Host;
using LowCodeTokens.Host.Demo;

LaunchEnvironment.ApplyDefault();
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddLowCodeEngine(builder.Configuration);
builder.Services.AddLowCodeHost(builder.Configuration);
if (builder.Environment.IsDevelopment() && builder.Configuration.GetValue("LowCodeTokens:Demo", true))
    builder.Services.AddHostedService<DemoStartup>();

var app = builder.Build();
app.UseLowCodeHost();
app.MapLowCodeEndpoints();
app.Run();

public partial class Program;
