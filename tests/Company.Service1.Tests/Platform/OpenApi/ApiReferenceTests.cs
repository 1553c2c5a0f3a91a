using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Company.Service1.Tests.Platform.OpenApi;

public sealed partial class ApiReferenceTests
{
    [Fact]
    public async Task Outside_Development_the_reference_is_absent_by_default()
    {
        await using var factory = new ServiceFactory();

        using var response = await factory.CreateClient().GetAsync("/scalar/v1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_setting_turns_it_on_with_a_fresh_script_nonce_in_its_policy_on_every_answer()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["ApiReference:Enabled"] = "true" });
        var client = factory.CreateClient();

        var nonces = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync("/scalar/v1");
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
            var nonce = PolicyNonce().Match(policy).Groups[1].Value;
            Assert.NotEmpty(nonce);
            Assert.All(ScriptNonces().Matches(html), m => Assert.Equal(nonce, WebUtility.HtmlDecode(m.Groups[1].Value)));
            Assert.DoesNotContain("https:", policy, StringComparison.Ordinal);
            nonces.Add(nonce);
        }

        Assert.NotEqual(nonces[0], nonces[1]);
    }

    [Fact]
    public async Task The_status_page_links_to_the_reference_where_it_is_served()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["ApiReference:Enabled"] = "true", ["ApiReference:Path"] = "/docs" });
        var client = factory.CreateClient();

        var state = await client.GetFromJsonAsync<JsonElement>("/status-page/state");
        using var reference = await client.GetAsync(state.GetProperty("apiReference").GetString());

        Assert.Equal("/docs/v1", state.GetProperty("apiReference").GetString());
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
    }

    [Theory]
    [InlineData("/scalar", true)]
    [InlineData("/internal/api-reference", true)]
    [InlineData("scalar", false)]
    [InlineData("/", false)]
    [InlineData("/scalar/", false)]
    [InlineData("/a b", false)]
    public void The_path_is_a_URL_path(string path, bool valid) =>
        Assert.Equal(valid, new ApiReferenceOptionsValidator().Validate(null, new ApiReferenceOptions { Path = path }).Succeeded);

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex PolicyNonce();

    [GeneratedRegex("<script[^>]*nonce=\"([^\"]+)\"")]
    private static partial Regex ScriptNonces();
}
