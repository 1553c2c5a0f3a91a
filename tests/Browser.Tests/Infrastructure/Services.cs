namespace Company.Service1.Browser.Tests.Infrastructure;

public static class Services
{
    /// <summary>
    /// The published service in <paramref name="environmentName"/>, ready, with no database configured (it runs on
    /// its in-memory store, so the tests pass for a service made with <c>--database none</c> too) and with rate
    /// limiting off, so the page's polling never meets a 429.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string environmentName, Dictionary<string, string?>? environment = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environmentName,
            ["RateLimit__PermitsPerSecond"] = "0",
            ["RateLimit__PermitsPerClientPerSecond"] = "0",
        };
        foreach (var (key, value) in environment ?? [])
        {
            settings[key] = value;
        }

        var service = await ServiceProcess.StartAsync(settings);
        try
        {
            await service.WaitUntilReadyAsync();
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }
}
