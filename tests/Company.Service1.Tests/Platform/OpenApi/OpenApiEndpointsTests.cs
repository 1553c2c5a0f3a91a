using System.Text.Json;

namespace Company.Service1.Tests.Platform.OpenApi;

public sealed class OpenApiEndpointsTests
{
    [Fact]
    public async Task The_openapi_document_is_served_and_leaves_the_drills_out()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["Drills:Enabled"] = "true" });

        var document = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;

        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal("Company.Service1 API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.False(document.GetProperty("paths").TryGetProperty("/delay/{ms}", out _));
    }
}
