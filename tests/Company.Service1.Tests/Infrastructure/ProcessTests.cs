namespace Company.Service1.Tests.Infrastructure;

/// <summary>
/// Tests that run the published binary share one collection, so they run one after another: their timing
/// assertions (drain, recovery) must not compete for the CPU with each other.
/// </summary>
[CollectionDefinition(Collection)]
public sealed class ProcessTests
{
    public const string Collection = "Published binary";
}
