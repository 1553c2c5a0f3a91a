using System.Threading.RateLimiting;

namespace Company.Service1.Platform.RateLimiting;

/// <summary>
/// A limiter whose refusals carry its name. A chained limiter hands back the refusing limiter's lease as it is, and
/// the library's leases say only how long to wait, not who refused: without the name, a 429 could not tell a client
/// whether it or the whole instance is over its limit. A granted lease passes through untouched; only a refusal costs
/// an allocation.
/// </summary>
internal sealed class NamedLimiter(string name, PartitionedRateLimiter<HttpContext> inner) : PartitionedRateLimiter<HttpContext>
{
    /// <summary>The name of the limit that refused a lease (<c>instance</c> or <c>client</c>).</summary>
    public static readonly MetadataName<string> Limit = MetadataName.Create<string>("LIMIT");

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => inner.GetStatistics(resource);

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        Named(inner.AttemptAcquire(resource, permitCount));

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        Named(await inner.AcquireAsync(resource, permitCount, cancellationToken).ConfigureAwait(false));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    private RateLimitLease Named(RateLimitLease lease) => lease.IsAcquired ? lease : new Refusal(lease, name);

    private sealed class Refusal(RateLimitLease refused, string limit) : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => refused.MetadataNames.Append(Limit.Name);

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (metadataName == Limit.Name)
            {
                metadata = limit;
                return true;
            }

            return refused.TryGetMetadata(metadataName, out metadata);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                refused.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
