using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Company.Service1.Browser.Tests.StatusPage;

/// <summary>The status page at <c>/</c>, as a person sees it, on the published service.</summary>
[Collection(InOneBrowser.Name)]
public sealed class StatusPageTests(Chromium chromium, ITestOutputHelper output)
{
    /// <summary>The page's slot colours (status-page.css), as the browser computes them.</summary>
    private static readonly Dictionary<string, string> SlotColours = new()
    {
        ["blue"] = "rgb(31, 111, 235)",
        ["green"] = "rgb(26, 127, 55)",
    };

    [Theory]
    [InlineData("blue")]
    [InlineData("green")]
    public async Task The_page_shows_the_version_and_the_slot_as_its_colour(string slot)
    {
        await using var service = await StartAsync(new() { ["Service__Slot"] = slot });
        var version = await service.Client.GetFromJsonAsync<JsonElement>("/version");
        await using var watched = await WatchedPage.OpenAsync(chromium);
        var page = watched.Page;

        await page.GotoAsync(service.BaseAddress.ToString());

        await Expect(page.Locator("#slot")).ToHaveTextAsync(slot);
        await Expect(page.Locator("#version")).ToHaveTextAsync(version.GetProperty("version").GetString()!);
        await Expect(page.Locator("#commit")).ToHaveTextAsync(version.GetProperty("commit").GetString()!);
        await Expect(page.Locator("#readiness")).ToHaveTextAsync("ready");
        var colour = await page.Locator("#slot-banner").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.Equal(SlotColours[slot], colour);
        await watched.ScreenshotAsync($"status-page-{slot}");
    }

    [Fact]
    public async Task The_page_loads_with_no_console_error_and_no_request_leaving_the_machine()
    {
        await using var service = await StartAsync();
        await using var watched = await WatchedPage.OpenAsync(chromium);
        var page = watched.Page;

        await page.GotoAsync(service.BaseAddress.ToString());
        await Expect(page.Locator("#readiness")).ToHaveTextAsync("ready");
        // A few refreshes, so an error in the polling itself would show too.
        var first = await page.Locator("#updated").TextContentAsync();
        await Expect(page.Locator("#updated")).Not.ToHaveTextAsync(first!);
        await page.ReloadAsync();
        await Expect(page.Locator("#readiness")).ToHaveTextAsync("ready");

        Assert.Empty(watched.Errors);
        Assert.Empty(watched.Outbound);
        await Expect(page.Locator("#dashboard")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task With_a_dashboard_configured_the_page_links_to_it()
    {
        await using var service = await StartAsync(new() { ["StatusPage__DashboardUrl"] = "http://127.0.0.1:18888/traces" });
        await using var watched = await WatchedPage.OpenAsync(chromium);
        var page = watched.Page;

        await page.GotoAsync(service.BaseAddress.ToString());

        await Expect(page.Locator("#dashboard")).ToBeVisibleAsync();
        await Expect(page.Locator("#dashboard")).ToHaveAttributeAsync("href", "http://127.0.0.1:18888/traces");
    }

    [Fact]
    public async Task The_page_lists_each_readiness_check_with_its_state()
    {
        await using var service = await StartAsync();
        await using var watched = await WatchedPage.OpenAsync(chromium);
        var page = watched.Page;

        await page.GotoAsync(service.BaseAddress.ToString());

        await Expect(page.Locator("#checks tbody tr")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("#checks tbody tr", new() { HasText = "startup" })).ToContainTextAsync("ready");
        await Expect(page.Locator("#checks tbody tr", new() { HasText = "drain" })).ToContainTextAsync("ready");
        await Expect(page.Locator("#instance")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("#uptime")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d"));
    }

    [Fact]
    public async Task Readiness_turns_draining_within_2_s_of_SIGTERM_and_the_page_keeps_refreshing()
    {
        // A long drain delay: the instance keeps serving well past the assertions, as it does behind a load balancer.
        await using var service = await StartAsync(new() { ["Drain__DelaySeconds"] = "20" });
        await using var watched = await WatchedPage.OpenAsync(chromium);
        var page = watched.Page;
        await page.GotoAsync(service.BaseAddress.ToString());
        await Expect(page.Locator("#readiness")).ToHaveTextAsync("ready");

        var sent = Stopwatch.StartNew();
        service.Signal(ServiceProcess.SigTerm);
        await Expect(page.Locator("#readiness")).ToHaveTextAsync("draining", new() { Timeout = 10_000 });
        var shown = sent.Elapsed;
        output.WriteLine($"draining shown {shown.TotalMilliseconds:F0} ms after SIGTERM");

        Assert.True(shown < TimeSpan.FromSeconds(2), $"the page showed draining {shown.TotalMilliseconds:F0} ms after SIGTERM");
        await Expect(page.Locator("#checks tbody tr", new() { HasText = "drain" })).ToContainTextAsync("draining");
        var draining = await page.Locator("#updated").TextContentAsync();
        await Expect(page.Locator("#updated")).Not.ToHaveTextAsync(draining!);
        await Expect(page.Locator("#readiness")).ToHaveTextAsync("draining");
        await watched.ScreenshotAsync("status-page-draining");
    }

    /// <summary>The published service in Production, on an in-memory store: no database, no sample needed.</summary>
    private static Task<ServiceProcess> StartAsync(Dictionary<string, string?>? environment = null) =>
        Services.StartAsync("Production", environment);
}
