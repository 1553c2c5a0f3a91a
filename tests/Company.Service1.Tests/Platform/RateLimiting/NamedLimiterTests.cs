using System.Threading.RateLimiting;
using Company.Service1.Platform.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Company.Service1.Tests.Platform.RateLimiting;

/// <summary>
/// The wrapper that names the limit behind a refusal keeps the rest of the library's contract: a refusal still
/// lists and answers its own metadata, giving it back gives back the wrapped lease, and disposing the limiter stops
/// the buckets inside it (each keeps a refill timer firing ten times a second until it is disposed).
/// </summary>
public sealed class NamedLimiterTests
{
    [Fact]
    public void A_refusal_lists_the_limits_name_beside_the_wrapped_leases_metadata()
    {
        using var limiter = new NamedLimiter(ApiRateLimit.Client, new Refusing());

        using var lease = limiter.AttemptAcquire(new DefaultHttpContext());

        Assert.False(lease.IsAcquired);
        Assert.Equal([MetadataName.RetryAfter.Name, "LIMIT"], lease.MetadataNames);
        Assert.True(lease.TryGetMetadata(NamedLimiter.Limit, out var name));
        Assert.Equal(ApiRateLimit.Client, name);
        Assert.True(lease.TryGetMetadata(MetadataName.RetryAfter, out var wait));
        Assert.Equal(Refusing.Wait, wait);
    }

    [Fact]
    public void Giving_back_a_refusal_gives_back_the_wrapped_lease()
    {
        var inner = new Refusing();
        using var limiter = new NamedLimiter(ApiRateLimit.Instance, inner);

        limiter.AttemptAcquire(new DefaultHttpContext()).Dispose();

        Assert.True(inner.LastLease!.Disposed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Disposing_the_limiter_disposes_the_buckets_inside_it(bool asynchronously)
    {
        var inner = Buckets();
        var limiter = new NamedLimiter(ApiRateLimit.Instance, inner);

        if (asynchronously)
        {
            await limiter.DisposeAsync();
        }
        else
        {
            limiter.Dispose();
        }

        Assert.Throws<ObjectDisposedException>(() => inner.AttemptAcquire(new DefaultHttpContext()));
    }

    private static PartitionedRateLimiter<HttpContext> Buckets() =>
        PartitionedRateLimiter.Create<HttpContext, int>(_ => RateLimitPartition.GetTokenBucketLimiter(0, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = 1,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
        }));

    /// <summary>Refuses every request with a lease that says when to retry and records being given back.</summary>
    private sealed class Refusing : PartitionedRateLimiter<HttpContext>
    {
        public static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(100);

        public Refused? LastLease { get; private set; }

        public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

        protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) => LastLease = new Refused();

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult<RateLimitLease>(LastLease = new Refused());
    }

    private sealed class Refused : RateLimitLease
    {
        public bool Disposed { get; private set; }

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? Refusing.Wait : null;
            return metadata is not null;
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
