using Company.Service1.Platform.Configuration;
using Microsoft.Extensions.Options;

namespace Company.Service1.Tests.Platform.Configuration;

/// <summary>The defaults are valid, and the documented bounds are the enforced ones.</summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void Every_default_is_valid()
    {
        Assert.True(new ServiceOptionsValidator().Validate(null, new ServiceOptions()).Succeeded);
        Assert.True(new DrainOptionsValidator().Validate(null, new DrainOptions()).Succeeded);
        Assert.True(new RateLimitOptionsValidator().Validate(null, new RateLimitOptions()).Succeeded);
        Assert.True(new RequestLimitsOptionsValidator().Validate(null, new RequestLimitsOptions()).Succeeded);
        Assert.True(new DatabaseOptionsValidator().Validate(null, new DatabaseOptions()).Succeeded);
        Assert.True(new DrillOptionsValidator().Validate(null, new DrillOptions()).Succeeded);
    }

    [Fact]
    public void The_defaults_are_the_documented_production_choices()
    {
        var drain = new DrainOptions();
        Assert.Equal((5, 25), (drain.DelaySeconds, drain.TimeoutSeconds));
        Assert.Equal(300, new RateLimitOptions().PermitsPerSecond);
        Assert.Equal(1_048_576, new RequestLimitsOptions().MaxRequestBodyBytes);
        Assert.Equal(TimeSpan.FromSeconds(1), new DatabaseOptions().HealthCheckTimeout);
        Assert.False(new DrillOptions().Enabled);
        Assert.Equal("blue", new ServiceOptions().Slot);
    }

    [Theory]
    [InlineData("green", true)]
    [InlineData("blue", true)]
    [InlineData("Blue", false)]
    [InlineData("", false)]
    public void The_slot_is_blue_or_green(string slot, bool valid) =>
        Assert.Equal(valid, new ServiceOptionsValidator().Validate(null, new ServiceOptions { Slot = slot }).Succeeded);

    [Fact]
    public void A_health_check_timeout_above_one_second_is_refused() =>
        Assert.True(new DatabaseOptionsValidator().Validate(null, new DatabaseOptions { HealthCheckTimeoutMilliseconds = 1001 }).Failed);
}
