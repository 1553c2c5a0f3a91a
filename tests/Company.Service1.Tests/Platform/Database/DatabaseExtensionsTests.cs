using Npgsql;

namespace Company.Service1.Tests.Platform.Database;

public sealed class DatabaseExtensionsTests
{
    [Fact]
    public void Missing_timeouts_get_outage_friendly_defaults()
    {
        var result = new NpgsqlConnectionStringBuilder(DatabaseExtensions.WithDefaults("Host=db;Username=app;Password=pw"));
        Assert.Equal(5, result.Timeout);
        Assert.Equal(10, result.CommandTimeout);
        Assert.Equal("company-service1", result.ApplicationName);
        Assert.Equal(20, result.MaxAutoPrepare);
    }

    [Fact]
    public void Timeouts_the_operator_chose_are_kept()
    {
        var result = new NpgsqlConnectionStringBuilder(DatabaseExtensions.WithDefaults("Host=db;Timeout=30;Command Timeout=60;Application Name=mine"));
        Assert.Equal(30, result.Timeout);
        Assert.Equal(60, result.CommandTimeout);
        Assert.Equal("mine", result.ApplicationName);
    }

    [Fact]
    public void A_malformed_connection_string_is_a_configuration_error_without_the_password()
    {
        var error = Assert.Throws<ConfigurationException>(() => DatabaseExtensions.WithDefaults("Host=db;Password=topsecret;Colour=blue"));
        Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_description_names_host_port_and_database_only() =>
        Assert.Equal("db:5433/app", DatabaseExtensions.Describe("Host=db;Port=5433;Database=app;Password=topsecret"));
}
