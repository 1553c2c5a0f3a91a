using System.Diagnostics;
using System.Threading.RateLimiting;
using Company.Service1.Platform.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Company.Service1.Tests.Platform.RateLimiting;

/// <summary>
/// A client that spent its burst gets its rate back smoothly, as time passes: a bucket refilled whole at the first
/// tick would let it send its full second's worth again at once, twice the configured rate over that second.
/// </summary>
public sealed class BucketRefillTests
{
    private const int Rate = 100;

    [Theory]
    [InlineData(Rate, 0)]
    [InlineData(0, Rate)]
    public async Task A_spent_bucket_refills_at_its_rate_not_at_once(int instance, int perClient)
    {
        using var limiter = ApiRateLimit.CreateLimiter(new RateLimitOptions { PermitsPerSecond = instance, PermitsPerClientPerSecond = perClient })!;
        var request = new DefaultHttpContext();
        request.Request.Path = "/version";

        // The first refill can come late while the limiter's timer starts; the second shows the steady rate.
        var (burst, _, _) = await SpendAndWaitForRefillAsync(limiter, request);
        var (_, back, elapsed) = await SpendAndWaitForRefillAsync(limiter, request);

        Assert.Equal(Rate, burst);

        // The library adds permits in proportion to the time since its previous refill, which ran at most one
        // refill period (100 ms) before the bucket was emptied.
        Assert.InRange(back, 1, Math.Ceiling(Rate * (elapsed.TotalSeconds + 0.1)));
    }

    private static async Task<(int Granted, long Back, TimeSpan Elapsed)> SpendAndWaitForRefillAsync(PartitionedRateLimiter<HttpContext> limiter, HttpContext request)
    {
        var clock = Stopwatch.StartNew();
        var granted = 0;
        while (limiter.AttemptAcquire(request).IsAcquired)
        {
            granted++;
        }

        var back = 0L;
        while (back == 0 && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(5);
            back = limiter.GetStatistics(request)!.CurrentAvailablePermits;
        }

        return (granted, back, clock.Elapsed);
    }
}
