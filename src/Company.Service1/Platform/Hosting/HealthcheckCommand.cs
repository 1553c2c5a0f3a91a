using System.Globalization;

namespace Company.Service1.Platform.Hosting;

/// <summary>
/// <c>Company.Service1 healthcheck [url]</c>: probes a running instance and exits 0 when it answers 2xx.
/// Distroless images have no curl or shell, so Docker's HEALTHCHECK calls the binary itself.
/// </summary>
public static class HealthcheckCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        var target = args.Length > 0 ? args[0] : DefaultUrl(Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"));
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            await output.WriteLineAsync($"healthcheck: '{target}' is not an http(s) URL");
            return 2;
        }

        using var client = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await client.GetAsync(uri);
            await output.WriteLineAsync($"healthcheck: {uri} answered {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"healthcheck: {uri} unreachable ({e.GetType().Name})");
            return 1;
        }
    }

    /// <summary>The liveness URL on the first port of ASPNETCORE_HTTP_PORTS, or 8080.</summary>
    internal static string DefaultUrl(string? httpPorts)
    {
        var first = httpPorts?.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var port = int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : ListeningPort.Default;
        return $"http://127.0.0.1:{port}/livez";
    }
}
