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
        Assert.True(new DrillOptionsValidator().Validate(null, new DrillOptions()).Succeeded);
    }

    [Fact]
    public void The_defaults_are_the_documented_production_choices()
    {
        var drain = new DrainOptions();
        Assert.Equal((5, 25), (drain.DelaySeconds, drain.TimeoutSeconds));
        Assert.Equal((300, 100), (new RateLimitOptions().PermitsPerSecond, new RateLimitOptions().PermitsPerClientPerSecond));
        Assert.Equal(1_048_576, new RequestLimitsOptions().MaxRequestBodyBytes);
        Assert.False(new DrillOptions().Enabled);
        Assert.Equal("/api", new DrillOptions().FaultPathPrefix);
        Assert.Equal("blue", new ServiceOptions().Slot);
    }

    [Theory]
    [InlineData("green", true)]
    [InlineData("blue", true)]
    [InlineData("Blue", false)]
    [InlineData("", false)]
    public void The_slot_is_blue_or_green(string slot, bool valid) =>
        Assert.Equal(valid, new ServiceOptionsValidator().Validate(null, new ServiceOptions { Slot = slot }).Succeeded);

    [Theory]
    [InlineData("/api", true)]
    [InlineData("/api/v1/todos", true)]
    [InlineData("/", true)]
    [InlineData("api", false)]
    [InlineData("", false)]
    [InlineData("/api?x=1", false)]
    [InlineData("/a b", false)]
    public void The_fault_drill_scope_is_a_path_starting_with_a_slash(string prefix, bool valid) =>
        Assert.Equal(valid, new DrillOptionsValidator().Validate(null, new DrillOptions { FaultPathPrefix = prefix }).Succeeded);
}
