using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Configuration;

public static class ConfigurationExtensions
{
    /// <summary>
    /// Binds every options class to its section and validates it when the host starts, so a bad value stops
    /// the process before it serves a single request (see <see cref="Hosting.StartupFailure"/>).
    /// Each binding is spelled out: the binder source generator (AOT) cannot bind through a generic helper.
    /// </summary>
    public static WebApplicationBuilder AddServiceConfiguration(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ServiceOptions>().BindConfiguration(ServiceOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServiceOptions>, ServiceOptionsValidator>();
        services.AddOptions<DrainOptions>().BindConfiguration(DrainOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DrainOptions>, DrainOptionsValidator>();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        services.AddOptions<RequestLimitsOptions>().BindConfiguration(RequestLimitsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RequestLimitsOptions>, RequestLimitsOptionsValidator>();
        services.AddOptions<DrillOptions>().BindConfiguration(DrillOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DrillOptions>, DrillOptionsValidator>();
        services.AddOptions<ManagementOptions>().BindConfiguration(ManagementOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ManagementOptions>, ManagementOptionsValidator>();
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddOptions<ElasticsearchOptions>().BindConfiguration(ElasticsearchOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ElasticsearchOptions>, ElasticsearchOptionsValidator>();
        services.AddOptionsWithValidateOnStart<LoggingOptions, LoggingOptionsValidator>().BindConfiguration(LoggingOptions.Section);
        services.AddOptions<ApiAuthenticationOptions>().BindConfiguration(ApiAuthenticationOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiAuthenticationOptions>, ApiAuthenticationOptionsValidator>();
        return builder;
    }

    /// <summary>
    /// Validates options that are read before the host starts, with the same validator and the same failure as
    /// <c>ValidateOnStart</c>, so that nothing is built from a bad value.
    /// </summary>
    internal static T ThrowIfInvalid<T>(this T options, IValidateOptions<T> validator) where T : class
    {
        var result = validator.Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures) : options;
    }
}
