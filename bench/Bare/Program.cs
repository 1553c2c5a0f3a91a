using System.Text.Json;
using System.Text.Json.Serialization;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, BareJsonContext.Default));

var app = builder.Build();
var info = new VersionInfo("1.0.0", "0000000000000000000000000000000000000000", "blue");
app.MapGet("/version", () => TypedResults.Ok(info));
app.Run();

internal sealed record VersionInfo(string Version, string Commit, string Slot);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(VersionInfo))]
internal sealed partial class BareJsonContext : JsonSerializerContext;
