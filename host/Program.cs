using LowCodeTokens.Host;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddLowCodeHost(builder.Configuration);

var app = builder.Build();
app.UseLowCodeHost();
app.MapLowCodeEndpoints();
app.Run();

public partial class Program;
