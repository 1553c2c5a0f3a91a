namespace Company.Service1.Browser.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright: one browser for the whole collection, a fresh context per page.
/// Playwright's driver is the Node binary inside the Microsoft.Playwright package (copied next to the tests by its
/// build targets); the browser is never Playwright's own, and nothing may download one.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            // The same step scripts/test.sh runs: a fresh machine gets Chromium from Debian's packages.
            await ProcessRunner.RunCheckedAsync(Path.Combine(PublishedService.RepositoryRoot(), "scripts", "setup", "browser.sh"), [], TimeSpan.FromMinutes(10));
        }

        // Read by Playwright's driver: even a code path that would fetch a browser build must not.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>
/// Every browser test: one Chromium, and one test at a time, since the drain test measures a deadline that a
/// parallel service start on a 2-core machine would distort.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InOneBrowser : ICollectionFixture<Chromium>
{
    public const string Name = "browser";
}
