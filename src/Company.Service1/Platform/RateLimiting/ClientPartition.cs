using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Company.Service1.Platform.RateLimiting;

/// <summary>
/// Which per-client bucket a request counts against: the token's subject when the request is authenticated, else
/// the address of the connection. Authentication runs before the rate limiter, so the subject is known here; JwtBearer
/// keeps the token's claim names (no inbound claim mapping), so the subject is the <c>sub</c> claim.
/// </summary>
internal static class ClientPartition
{
    /// <summary>
    /// The partitioned limiter keeps a token bucket per partition key in a dictionary, and a client picks its own
    /// identity (every address it has, every subject it can get a token for). So the key is not the identity but one
    /// of this many slots the identity hashes into: however many identities arrive, at most 1024 buckets exist (a few
    /// hundred KB). <see cref="HashCode"/> is seeded at random per process, so nobody can choose identities that land
    /// in a given client's slot; two clients that happen to share one share its budget, which with a few dozen clients
    /// active on an instance at a time is rare, and costs them only a busy neighbour.
    /// </summary>
    internal const int Slots = 1024;

    internal static int Slot(HttpContext context)
    {
        var hash = new HashCode();
        if (context.User.Identity?.IsAuthenticated == true && context.User.FindFirst("sub")?.Value is { } subject)
        {
            // The kind first keeps a subject spelled like an address apart from that address.
            hash.Add('s');
            hash.AddBytes(MemoryMarshal.AsBytes(subject.AsSpan()));
        }
        else
        {
            hash.Add('a');
            AddAddress(ref hash, context.Connection.RemoteIpAddress);
        }

        return (int)((uint)hash.ToHashCode() % Slots);
    }

    /// <summary>
    /// The connection's own address, never X-Forwarded-For or Forwarded: a client writes those headers itself and would
    /// be a new client with every request. Behind a proxy that hides the address, all anonymous requests share one
    /// client budget (authenticated ones are still told apart by subject). An IPv6 client counts per /64: that is the
    /// prefix one host or subscriber line gets, and it can rotate through every address in it at will. No address
    /// (a Unix socket, the in-process test server) is one client.
    /// </summary>
    private static void AddAddress(ref HashCode hash, IPAddress? address)
    {
        if (address is null)
        {
            return;
        }

        // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d, which would all fall into one /64.
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        hash.AddBytes(bytes[..(address.AddressFamily == AddressFamily.InterNetworkV6 ? 8 : written)]);
    }
}
