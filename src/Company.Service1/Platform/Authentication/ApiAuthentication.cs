using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Company.Service1.Platform.Authentication;

/// <summary>
/// JWT bearer authentication for the API, configured by <see cref="ApiAuthenticationOptions"/>. Features authorize
/// their operations with policies of their own (see <see cref="ScopeRequirement"/>); probes, <c>/version</c>, the
/// OpenAPI document and <c>/metrics</c> carry no policy and so need no token.
/// </summary>
public static partial class ApiAuthentication
{
    /// <summary>Where <c>dotnet user-jwts</c> writes its issuer, audiences and signing key (user secrets, appsettings.Development.json).</summary>
    internal const string UserJwtsSection = "Authentication:Schemes:" + JwtBearerDefaults.AuthenticationScheme;

    public static WebApplicationBuilder AddApiAuthentication(this WebApplicationBuilder builder)
    {
        var mode = ModeOf(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton<IValidateOptions<ApiAuthenticationOptions>>(new SecureDefault(mode));
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<IAuthorizationHandler, ScopeHandler>();
        if (mode is AuthenticationMode.Disabled or AuthenticationMode.DevelopmentOpen)
        {
            // Nothing to check a token against: every policy passes, so the features' policies leave the API open.
            builder.Services.AddSingleton<IAuthorizationHandler, OpenAccessHandler>();
            return builder;
        }

        // No AddJwtBearer options here: the framework's own configuration reader (Authentication:Schemes:Bearer) runs
        // first, which is what dotnet user-jwts relies on; the typed settings, when given, replace what it read.
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddExceptionHandler<IdentityProviderUnavailable>();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<ApiAuthenticationOptions>>((jwt, settings) => Configure(jwt, settings.Value));
        builder.Services.Configure<OpenApiOptions>(OpenApiEndpoints.DocumentName, BearerApiDocument.Describe);
        return builder;
    }

    private static void Configure(JwtBearerOptions jwt, ApiAuthenticationOptions settings)
    {
        // The token's claims keep their JWT names: the subject is "sub", the scopes "scope" or "scp".
        jwt.MapInboundClaims = false;
        // RFC 6750: a valid token that lacks the scope is "insufficient_scope", so a client knows not to retry it.
        jwt.Events ??= new JwtBearerEvents();
        jwt.Events.OnForbidden = context =>
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\"";
            return Task.CompletedTask;
        };
        jwt.Events.OnAuthenticationFailed = IdentityProviderUnavailable.OnAuthenticationFailed;
        // The framework waits 60 s for the authority's metadata, and every request waits while it has none: a request
        // should fail in seconds instead, as a 503 (IdentityProviderUnavailable).
        jwt.BackchannelTimeout = TimeSpan.FromSeconds(5);
        jwt.TokenValidationParameters.ClockSkew = settings.ClockSkew;
        if (!settings.Configured)
        {
            return;
        }

        jwt.Authority = settings.Authority;
        jwt.Audience = settings.Audience;
        jwt.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            // With an authority, the handler adds the issuer and keys from its metadata to these.
            ValidIssuer = settings.Issuer,
            IssuerSigningKeys = string.IsNullOrWhiteSpace(settings.SigningKeys) ? null : settings.ParseSigningKeys(),
            ValidAudience = settings.Audience,
            ClockSkew = settings.ClockSkew,
        };
    }

    /// <summary>
    /// Authentication, before the rate limiter: it limits per client identity and so needs <c>context.User</c>.
    /// Says loudly at every start when the API is open. A refused configuration stops the host when it starts
    /// (options validation), not here: the <c>migrate</c> command builds this pipeline too and needs no token.
    /// </summary>
    public static WebApplication UseApiAuthentication(this WebApplication app)
    {
        var mode = ModeOf(app.Configuration, app.Environment);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Company.Service1.Authentication");
        switch (mode)
        {
            case AuthenticationMode.Disabled:
                LogOpen(logger, "Authentication:Disabled is true");
                return app;
            case AuthenticationMode.DevelopmentOpen:
                LogOpen(logger, "the environment is Development and no authentication is configured");
                return app;
            case AuthenticationMode.UserJwts:
                LogUserJwts(logger);
                break;
        }

        app.UseAuthentication();
        return app;
    }

    /// <summary>The features' policies, after the rate limiter: a flood of unauthorized requests is limited too.</summary>
    public static WebApplication UseApiAuthorization(this WebApplication app)
    {
        app.UseAuthorization();
        return app;
    }

    internal static AuthenticationMode ModeOf(IConfiguration configuration, IHostEnvironment environment)
    {
        var settings = configuration.GetSection(ApiAuthenticationOptions.Section).Get<ApiAuthenticationOptions>() ?? new ApiAuthenticationOptions();
        if (settings.Disabled)
        {
            return AuthenticationMode.Disabled;
        }

        if (settings.Configured)
        {
            return AuthenticationMode.Configured;
        }

        if (!environment.IsDevelopment())
        {
            return AuthenticationMode.Refused;
        }

        return configuration.GetSection(UserJwtsSection).GetSection("SigningKeys").Exists()
            ? AuthenticationMode.UserJwts
            : AuthenticationMode.DevelopmentOpen;
    }

    /// <summary>Outside Development, no authentication configuration is a configuration error, not an open API.</summary>
    private sealed class SecureDefault(AuthenticationMode mode) : IValidateOptions<ApiAuthenticationOptions>
    {
        public ValidateOptionsResult Validate(string? name, ApiAuthenticationOptions options) => mode == AuthenticationMode.Refused
            ? ValidateOptionsResult.Fail(
                "Authentication: set Authentication:Authority, or Authentication:Issuer with Authentication:SigningKeys, and Authentication:Audience; "
                + "or set Authentication:Disabled=true to serve the API without authentication on purpose.")
            : ValidateOptionsResult.Skip;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "AUTHENTICATION: OFF. {Reason}: the API is open to anyone who can reach it. Do not run this way in production.")]
    private static partial void LogOpen(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Authentication: bearer tokens from dotnet user-jwts (Authentication:Schemes:Bearer in user secrets), Development only")]
    private static partial void LogUserJwts(ILogger logger);
}
