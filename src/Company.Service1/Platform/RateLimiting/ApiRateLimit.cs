using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.RateLimiting;

/// <summary>
/// Two token buckets every request but the probes passes: its client's (see <see cref="ClientPartition"/>), so one
/// client cannot take the whole instance, then the instance's. Probes are never limited: a pod under pressure must
/// still answer them, or Kubernetes would restart the very pods that are busy.
/// </summary>
public static class ApiRateLimit
{
    /// <summary>The limit names, in 429 answers and in the <c>limit</c> label of the rejection counter.</summary>
    internal const string Instance = "instance";

    internal const string Client = "client";

    // Refilling ten times a second keeps the rate smooth; the bucket holds one second's worth as burst.
    private const int RefillsPerSecond = 10;

    // Below every slot number, so a probe never shares a bucket with a client.
    private const int Exempt = -1;

    public static WebApplicationBuilder AddApiRateLimit(this WebApplicationBuilder builder)
    {
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, options) =>
        {
            var limits = options.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = CreateLimiter(limits);
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                // Each limit's own bucket says when it has a permit again.
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                var limit = rejected.Lease.TryGetMetadata(NamedLimiter.Limit, out var name) && name is not null ? name : Instance;
                rejected.HttpContext.RequestServices.GetService<ServiceMetrics>()?.RateLimitRejected(limit);
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                var detail = limit == Client
                    ? $"This instance accepts {limits.PermitsPerClientPerSecond} requests per second from one client. Retry after the interval in Retry-After."
                    : $"This instance accepts {limits.PermitsPerSecond} requests per second from all clients together. Retry after the interval in Retry-After.";
                await Problems.Problem(StatusCodes.Status429TooManyRequests, ProblemTypes.RateLimited, "Too many requests.", detail)
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>
    /// The rate-limiting middleware, only when a limit is configured: with both limits at 0 every request would still
    /// take a lease from a partitioned limiter (a lock and a dictionary lookup) for nothing.
    /// </summary>
    public static WebApplication UseApiRateLimit(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        if (limits.PermitsPerSecond > 0 || limits.PermitsPerClientPerSecond > 0)
        {
            app.UseRateLimiter();
        }

        return app;
    }

    /// <summary>The limits that are on, the client's first: a client over its own limit spends none of the instance's.</summary>
    internal static PartitionedRateLimiter<HttpContext>? CreateLimiter(RateLimitOptions limits)
    {
        var chain = new List<PartitionedRateLimiter<HttpContext>>(2);
        if (limits.PermitsPerClientPerSecond > 0)
        {
            chain.Add(Limiter(Client, limits.PermitsPerClientPerSecond, ClientPartition.Slot));
        }

        if (limits.PermitsPerSecond > 0)
        {
            chain.Add(Limiter(Instance, limits.PermitsPerSecond, _ => 0));
        }

        return chain.Count switch
        {
            0 => null,
            1 => chain[0],
            _ => PartitionedRateLimiter.CreateChained([.. chain]),
        };
    }

    private static NamedLimiter Limiter(string name, int permits, Func<HttpContext, int> partition)
    {
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = permits,
            TokensPerPeriod = Math.Max(1, permits / RefillsPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1.0 / RefillsPerSecond),
            QueueLimit = 0,
        };
        return new NamedLimiter(name, PartitionedRateLimiter.Create<HttpContext, int>(context =>
            HealthEndpoints.IsProbe(context.Request.Path)
                ? RateLimitPartition.GetNoLimiter(Exempt)
                : RateLimitPartition.GetTokenBucketLimiter(partition(context), _ => bucket)));
    }
}
