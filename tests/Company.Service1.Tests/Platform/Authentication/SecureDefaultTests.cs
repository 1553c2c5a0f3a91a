using Company.Service1.Platform.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Company.Service1.Tests.Platform.Authentication;

/// <summary>
/// The secure default in-process, where a changed line of it can be caught (AuthenticationStartupTests shows the
/// same on the published binary): outside Development no settings stop the host, and each way of running without
/// an authority's tokens says so in the log at every start.
/// </summary>
public sealed class SecureDefaultTests
{
    private const string Category = "Company.Service1.Authentication";

    // The host's start turns this failure into the one-line exit 2 (StartupFailure), which ends the in-process host
    // too early to be seen: so the options are read here as the host's start reads them.
    [Theory]
    [InlineData("Production", true)]
    [InlineData("Staging", true)]
    [InlineData("Development", false)]
    public void Outside_Development_no_authentication_settings_fail_validation_naming_the_settings_and_the_opt_out(string environment, bool refused)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Authentication:Disabled"] = "false" });
        builder.AddServiceConfiguration().AddApiAuthentication();
        using var services = builder.Services.BuildServiceProvider();

        var read = Record.Exception(() => services.GetRequiredService<IOptions<ApiAuthenticationOptions>>().Value);

        if (!refused)
        {
            Assert.Null(read);
            return;
        }

        Assert.Equal(
            "Authentication: set Authentication:Authority, or Authentication:Issuer with Authentication:SigningKeys, and Authentication:Audience; "
            + "or set Authentication:Disabled=true to serve the API without authentication on purpose.",
            Assert.Single(Assert.IsType<OptionsValidationException>(read).Failures));
    }

    [Fact]
    public async Task The_opt_out_warns_once_that_the_api_is_open()
    {
        var log = new CapturedLog();
        await using var service = new ServiceFactory();

        using var client = service.LoggingTo(log).CreateClient();

        var warning = Assert.Single(log.Lines, l => l.Category == Category);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(
            "AUTHENTICATION: OFF. Authentication:Disabled is true: the API is open to anyone who can reach it. Do not run this way in production.",
            warning.Message);
    }

    [Fact]
    public async Task Development_with_the_keys_of_dotnet_user_jwts_says_where_its_tokens_come_from()
    {
        var log = new CapturedLog();
        await using var service = new ServiceFactory(new Dictionary<string, string?>
        {
            ["Authentication:Disabled"] = "false",
            ["Authentication:Schemes:Bearer:ValidIssuer"] = "dotnet-user-jwts",
            ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = "dotnet-user-jwts",
            ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==",
        });

        using var client = service.LoggingTo(log).WithWebHostBuilder(builder => builder.UseEnvironment("Development")).CreateClient();

        var line = Assert.Single(log.Lines, l => l.Category == Category);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.StartsWith("Authentication: bearer tokens from dotnet user-jwts", line.Message, StringComparison.Ordinal);
    }
}
