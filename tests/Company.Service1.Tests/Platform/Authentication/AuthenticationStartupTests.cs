using System.Net;

namespace Company.Service1.Tests.Platform.Authentication;

/// <summary>
/// The secure default on the published binary: outside Development no authentication settings means no start,
/// a bad combination exits 2 with its one line, and an API that is open on purpose says so at every start.
/// </summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed class AuthenticationStartupTests : IDisposable
{
    private const string OpenWarning = "AUTHENTICATION: OFF";
    private readonly TokenIssuer _issuer = new();

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public async Task Production_without_authentication_settings_refuses_to_start_naming_the_opt_out()
    {
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?> { ["Authentication__Disabled"] = null });

        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        var line = Assert.Single(service.StandardError, l => l.Length > 0);
        Assert.StartsWith("Invalid configuration: Authentication:", line, StringComparison.Ordinal);
        Assert.Contains("Authentication:Authority", line, StringComparison.Ordinal);
        Assert.Contains("Authentication:Disabled=true", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Authentication__Authority=https://login.example/realms/prod", "Authentication:Audience is required")]
    [InlineData("Authentication__Authority=https://login.example|Authentication__Issuer=https://issuer.example|Authentication__Audience=a", "cannot be combined")]
    [InlineData("Authentication__Issuer=https://issuer.example|Authentication__Audience=a", "go together")]
    [InlineData("Authentication__Audience=company-service1", "Authentication:Audience needs")]
    [InlineData("Authentication__SigningKeys={\"keys\":[]}|Authentication__Issuer=https://issuer.example|Authentication__Audience=a", "holds no usable signing key")]
    [InlineData("Authentication__SigningKeys=secret|Authentication__Issuer=https://issuer.example|Authentication__Audience=a", "is not a JWKS document")]
    [InlineData("Authentication__Authority=http://keycloak:8080/realms/prod|Authentication__Audience=a", "must be an https:// URL")]
    [InlineData("Authentication__Authority=https://login.example|Authentication__Audience=a|Authentication__ClockSkewSeconds=301", "ClockSkewSeconds")]
    [InlineData("Authentication__Authority=https://login.example|Authentication__Audience=a|Authentication__ClockSkewSeconds=abc", "Authentication:ClockSkewSeconds")]
    [InlineData("Authentication__Authority=https://login.example|Authentication__Audience=a|Authentication__RequireHttpsMetadata=maybe", "Authentication:RequireHttpsMetadata")]
    public async Task A_bad_combination_exits_2_within_2_seconds_with_one_line_naming_it(string settings, string named)
    {
        var environment = new Dictionary<string, string?> { ["Authentication__Disabled"] = null };
        foreach (var pair in settings.Split('|'))
        {
            var (key, value) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            environment[key] = value;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var service = await ServiceProcess.StartAsync(environment);

        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed} to exit");
        var line = Assert.Single(service.StandardError, l => l.Length > 0);
        Assert.StartsWith("Invalid configuration:", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.DoesNotContain(service.StandardOutput.Concat(service.StandardError), l => l.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_opt_out_starts_and_warns_that_the_api_is_open()
    {
        await using var service = await ServiceProcess.StartAsync();

        await service.WaitUntilReadyAsync();
        var warning = Assert.Single(service.StandardOutput, l => l.Contains(OpenWarning, StringComparison.Ordinal));
        Assert.Contains("\"log.level\":\"warn\"", warning, StringComparison.Ordinal);
        Assert.Contains("Authentication:Disabled is true", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_without_settings_starts_open_with_the_same_warning()
    {
        // A home of its own: no user secrets (dotnet user-jwts keys) of the developer's leak in.
        var home = Directory.CreateTempSubdirectory("company-service1-home-").FullName;
        try
        {
            await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
            {
                ["Authentication__Disabled"] = null,
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["HOME"] = home,
            });

            await service.WaitUntilReadyAsync();
            var warning = Assert.Single(service.StandardOutput, l => l.Contains(OpenWarning, StringComparison.Ordinal));
            Assert.Contains("Development", warning, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task With_authentication_on_probes_version_and_metrics_need_no_token_and_nothing_warns()
    {
        await using var service = await StartAuthenticatedAsync();

        await service.WaitUntilReadyAsync();
        foreach (var path in new[] { "/livez", "/readyz", "/healthz", "/version" })
        {
            using var response = await service.Client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }

        using var metrics = await service.Client.GetAsync(new Uri(service.ManagementAddress, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.DoesNotContain(service.StandardOutput, l => l.Contains(OpenWarning, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_64_KB_authorization_header_is_431_from_the_header_limit_not_a_500()
    {
        await using var service = await StartAuthenticatedAsync();
        await service.WaitUntilReadyAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/version");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _issuer.Token() + new string('A', 64 * 1024));

        using var response = await service.Client.SendAsync(request);

        // Kestrel's 32 KiB header limit answers before any middleware: the token is never parsed.
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        await service.WaitForStatusAsync("/readyz", 200, TimeSpan.FromSeconds(10));
    }

    private Task<ServiceProcess> StartAuthenticatedAsync() => ServiceProcess.StartAsync(new Dictionary<string, string?>
    {
        ["Authentication__Disabled"] = null,
        ["Authentication__Issuer"] = TokenIssuer.Issuer,
        ["Authentication__Audience"] = TokenIssuer.Audience,
        ["Authentication__SigningKeys"] = _issuer.Jwks,
    });
}
