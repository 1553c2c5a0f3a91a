namespace Company.Service1.Tests.Platform.Database;

public sealed class DatabaseOptionsTests
{
    [Fact]
    public void The_default_is_valid_with_a_one_second_health_check_timeout()
    {
        Assert.True(new DatabaseOptionsValidator().Validate(null, new DatabaseOptions()).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(1), new DatabaseOptions().HealthCheckTimeout);
    }

    [Fact]
    public void A_health_check_timeout_above_one_second_is_refused() =>
        Assert.True(new DatabaseOptionsValidator().Validate(null, new DatabaseOptions { HealthCheckTimeoutMilliseconds = 1001 }).Failed);
}
