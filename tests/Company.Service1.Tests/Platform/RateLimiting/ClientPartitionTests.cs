using System.Net;
using System.Security.Claims;
using Company.Service1.Platform.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Company.Service1.Tests.Platform.RateLimiting;

/// <summary>Measures the process's managed heap, so it runs with no other test beside it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurements
{
    public const string Name = "Heap measurements";
}

[Collection(HeapMeasurements.Name)]
public sealed class ClientPartitionTests
{
    private const int Identities = 100_000;

    /// <summary>
    /// A bucket per identity would keep a token bucket for every address or subject a client ever used: 100,000 of
    /// them hold about 28 MB here. The slots bound it at 1024 buckets, about 300 KB, however many identities arrive.
    /// </summary>
    [Fact]
    public void A_hundred_thousand_distinct_clients_do_not_grow_the_limiter_past_its_slots()
    {
        using var limiter = ApiRateLimit.CreateLimiter(new RateLimitOptions { PermitsPerSecond = 0, PermitsPerClientPerSecond = 100 })!;
        var context = new DefaultHttpContext();
        context.Request.Path = "/version";
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < Identities; i++)
        {
            // Half addresses (IPv6, each in its own /64), half subjects.
            if (i % 2 == 0)
            {
                context.User = new ClaimsPrincipal();
                context.Connection.RemoteIpAddress = new IPAddress([0x20, 0x01, 0x0d, 0xb8, (byte)(i >> 24), (byte)(i >> 16), (byte)(i >> 8), (byte)i, 0, 0, 0, 0, 0, 0, 0, 1]);
            }
            else
            {
                context.User = Clients.SignedIn($"subject-{i}");
            }

            using var lease = limiter.AttemptAcquire(context);
        }

        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(limiter);
        Assert.True(grown < 4 * 1024 * 1024, $"the limiter grew by {grown / 1024} KB for {Identities} clients");
    }

    [Fact]
    public void An_IPv4_client_of_a_dual_stack_socket_is_the_same_client_as_over_IPv4()
    {
        Assert.Equal(Clients.Slot("192.0.2.7"), Clients.Slot("::ffff:192.0.2.7"));
    }

    [Fact]
    public void A_request_without_a_signed_in_user_counts_by_address_even_with_a_sub_claim()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.7");
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "alice")]));

        Assert.Equal(Clients.Slot("192.0.2.7"), ClientPartition.Slot(context));
    }
}
