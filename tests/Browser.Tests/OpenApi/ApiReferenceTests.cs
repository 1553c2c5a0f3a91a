using System.Net.Http.Json;
using System.Text.Json;

namespace Company.Service1.Browser.Tests.OpenApi;

/// <summary>The interactive API reference (Scalar): served in Development, absent in Production.</summary>
[Collection(InOneBrowser.Name)]
public sealed class ApiReferenceTests(Chromium chromium)
{
    [Fact]
    public async Task In_Development_the_status_page_links_to_the_reference_which_renders_the_OpenAPI_document_offline()
    {
        await using var service = await Services.StartAsync("Development");
        var document = await service.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var title = document.GetProperty("info").GetProperty("title").GetString()!;
        await using var watched = await WatchedPage.OpenAsync(chromium);
        var page = watched.Page;
        await page.GotoAsync(service.BaseAddress.ToString());

        await page.Locator("#api-reference").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Exact = true })).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByText("/version").First).ToBeVisibleAsync();
        await watched.ScreenshotAsync("api-reference");
        Assert.Empty(watched.Errors);
        Assert.Empty(watched.Outbound);
    }

    [Fact]
    public async Task In_Production_the_reference_is_absent_and_the_status_page_does_not_link_to_it()
    {
        await using var service = await Services.StartAsync("Production");
        await using var watched = await WatchedPage.OpenAsync(chromium);
        var page = watched.Page;
        await page.GotoAsync(service.BaseAddress.ToString());
        await Expect(page.Locator("#readiness")).ToHaveTextAsync("ready");

        await Expect(page.Locator("#api-reference")).ToBeHiddenAsync();
        await Expect(page.Locator("#openapi")).ToBeVisibleAsync();
        var reference = await page.GotoAsync(new Uri(service.BaseAddress, "/scalar/v1").ToString());
        Assert.Equal(404, reference!.Status);
    }
}
