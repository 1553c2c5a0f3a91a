using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Configuration;

public static class ConfigurationExtensions
{
    /// <summary>
    /// Binds every options class to its section and validates it when the host starts, so a bad value stops
    /// the process before it serves a single request (see StartupFailure).
    /// </summary>
    public static WebApplicationBuilder AddServiceConfiguration(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<ServiceOptions, ServiceOptionsValidator>().BindConfiguration(ServiceOptions.Section);
        services.AddOptionsWithValidateOnStart<DrainOptions, DrainOptionsValidator>().BindConfiguration(DrainOptions.Section);
        services.AddOptionsWithValidateOnStart<RateLimitOptions, RateLimitOptionsValidator>().BindConfiguration(RateLimitOptions.Section);
        services.AddOptionsWithValidateOnStart<RequestLimitsOptions, RequestLimitsOptionsValidator>().BindConfiguration(RequestLimitsOptions.Section);
        services.AddOptionsWithValidateOnStart<DrillOptions, DrillOptionsValidator>().BindConfiguration(DrillOptions.Section);
        services.AddOptionsWithValidateOnStart<ManagementOptions, ManagementOptionsValidator>().BindConfiguration(ManagementOptions.Section);
        services.AddOptionsWithValidateOnStart<TelemetryOptions, TelemetryOptionsValidator>().BindConfiguration(TelemetryOptions.Section);
        services.AddOptionsWithValidateOnStart<ElasticsearchOptions, ElasticsearchOptionsValidator>().BindConfiguration(ElasticsearchOptions.Section);
        services.AddOptionsWithValidateOnStart<ApiAuthenticationOptions, ApiAuthenticationOptionsValidator>().BindConfiguration(ApiAuthenticationOptions.Section);
        services.AddOptionsWithValidateOnStart<ApiReferenceOptions, ApiReferenceOptionsValidator>().BindConfiguration(ApiReferenceOptions.Section);
        services.AddOptionsWithValidateOnStart<StatusPageOptions, StatusPageOptionsValidator>().BindConfiguration(StatusPageOptions.Section);
        services.AddOptionsWithValidateOnStart<LoggingOptions, LoggingOptionsValidator>().BindConfiguration(LoggingOptions.Section);
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
