using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Company.Service1.Tests.Infrastructure;

/// <summary>
/// The service hosted in-process, configured like production except: no drain delay (disposal would otherwise
/// wait 5 s per test class), no rate limit (tests send bursts) and authentication off (tests of other behaviour
/// send no token; the authentication tests configure it). Tests override anything via settings.
/// </summary>
public sealed class ServiceFactory(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public static async Task<ServiceFactory> WithNewDatabaseAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = await SharedPostgres.CreateDatabaseAsync(),
            ["Database:MigrateOnStartup"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new ServiceFactory(all);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Drain:DelaySeconds", "0");
        builder.UseSetting("Drain:TimeoutSeconds", "5");
        builder.UseSetting("RateLimit:PermitsPerSecond", "0");
        builder.UseSetting("RateLimit:PermitsPerClientPerSecond", "0");
        builder.UseSetting("Authentication:Disabled", "true");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
