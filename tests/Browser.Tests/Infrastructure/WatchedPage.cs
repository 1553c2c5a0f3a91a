namespace Company.Service1.Browser.Tests.Infrastructure;

/// <summary>
/// A page in its own browser context that records what a person would not see: console errors (a Content-Security-
/// Policy violation is one), uncaught script errors, and every request for anything but the service on 127.0.0.1,
/// which is aborted so nothing leaves the machine.
/// </summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];
    private readonly List<string> _outbound = [];

    private WatchedPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    /// <summary>Console errors and uncaught exceptions, in order.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Requests for anything other than 127.0.0.1 (aborted).</summary>
    public IReadOnlyList<string> Outbound
    {
        get
        {
            lock (_outbound)
            {
                return [.. _outbound];
            }
        }
    }

    public static async Task<WatchedPage> OpenAsync(Chromium chromium)
    {
        ArgumentNullException.ThrowIfNull(chromium);
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 800 } });
        var page = await context.NewPageAsync();
        var watched = new WatchedPage(context, page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record(watched._errors, $"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => Record(watched._errors, $"uncaught: {error}");
        await context.RouteAsync("**/*", async route =>
        {
            if (new Uri(route.Request.Url).Host == "127.0.0.1")
            {
                await route.ContinueAsync();
            }
            else
            {
                Record(watched._outbound, route.Request.Url);
                await route.AbortAsync();
            }
        });
        return watched;
    }

    /// <summary>Saves what the page shows under artifacts/browser/ in the repository and returns the file's path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(PublishedService.RepositoryRoot(), "artifacts", "browser", name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private static void Record(List<string> list, string entry)
    {
        lock (list)
        {
            list.Add(entry);
        }
    }
}
