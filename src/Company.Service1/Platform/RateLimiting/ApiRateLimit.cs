using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.RateLimiting;

/// <summary>
/// One token bucket per instance, shared by every request except probes: a pod under pressure must still
/// answer its probes, or Kubernetes would restart the very pods that are busy.
/// </summary>
public static class ApiRateLimit
{
    // Refilling ten times a second keeps the rate smooth; the bucket holds one second's worth as burst.
    private const int RefillsPerSecond = 10;

    public static WebApplicationBuilder AddApiRateLimit(this WebApplicationBuilder builder)
    {
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, options) =>
        {
            var permits = options.Value.PermitsPerSecond;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                permits == 0 || HealthEndpoints.IsProbe(context.Request.Path)
                    ? RateLimitPartition.GetNoLimiter("exempt")
                    : RateLimitPartition.GetTokenBucketLimiter("instance", _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = permits,
                        TokensPerPeriod = Math.Max(1, permits / RefillsPerSecond),
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1.0 / RefillsPerSecond),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                rejected.HttpContext.RequestServices.GetService<ServiceMetrics>()?.RateLimitRejected();
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Problems.Problem(StatusCodes.Status429TooManyRequests, ProblemTypes.RateLimited, "Too many requests.",
                    $"This instance accepts {permits} requests per second. Retry after the interval in Retry-After.").ExecuteAsync(rejected.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>
    /// The rate-limiting middleware, only when a limit is configured: with <c>PermitsPerSecond=0</c> every request
    /// would still take a lease from a partitioned limiter (a lock and a dictionary lookup) for nothing.
    /// </summary>
    public static WebApplication UseApiRateLimit(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.PermitsPerSecond > 0)
        {
            app.UseRateLimiter();
        }

        return app;
    }
}
