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
        var clock = Stopwatch.StartNew();
        var first = await SpendAndWaitForRefillAsync(limiter, request, clock);
        var second = await SpendAndWaitForRefillAsync(limiter, request, clock);

        Assert.Equal(Rate, first.Granted);
        // The library adds permits in proportion to the time since its previous refill. Every permit back now came
        // after the first refill, which came after the first wait's last empty reading.
        Assert.InRange(second.Back, 1, Math.Ceiling(Rate * (second.ReadAt - first.LastEmptyAt).TotalSeconds) + 1);
    }

    private static async Task<(int Granted, long Back, TimeSpan LastEmptyAt, TimeSpan ReadAt)> SpendAndWaitForRefillAsync(
        PartitionedRateLimiter<HttpContext> limiter, HttpContext request, Stopwatch clock)
    {
        var granted = 0;
        while (limiter.AttemptAcquire(request).IsAcquired)
        {
            granted++;
        }

        var deadline = clock.Elapsed + TimeSpan.FromSeconds(5);
        var lastEmptyAt = clock.Elapsed;
        while (clock.Elapsed < deadline)
        {
            await Task.Delay(5);
            var before = clock.Elapsed;
            var back = limiter.GetStatistics(request)!.CurrentAvailablePermits;
            if (back > 0)
            {
                return (granted, back, lastEmptyAt, clock.Elapsed);
            }

            lastEmptyAt = before;
        }

        return (granted, 0, lastEmptyAt, clock.Elapsed);
    }
}
