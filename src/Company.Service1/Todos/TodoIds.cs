namespace Company.Service1.Todos;

/// <summary>
/// Time-ordered todo ids (UUIDv7) that also keep their order within one millisecond. Guid.CreateVersion7 fills
/// the sub-millisecond bits at random, so two todos created in the same millisecond could list out of creation
/// order; RFC 9562 (6.2, method 2) allows incrementing the random part instead, which is what this does. The
/// order holds per instance; across instances it is as good as their clocks.
/// </summary>
public static class TodoIds
{
    private static readonly Lock Gate = new();
    private static Guid s_last;

    public static Guid Next(DateTimeOffset now)
    {
        var candidate = Guid.CreateVersion7(now);
        lock (Gate)
        {
            if (candidate.CompareTo(s_last) <= 0)
            {
                candidate = Increment(s_last);
            }

            s_last = candidate;
            return candidate;
        }
    }

    /// <summary>Adds one to the low 56 random bits (bytes 9..15, big-endian); version and variant bits stay intact.</summary>
    internal static Guid Increment(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        for (var i = 15; i >= 9; i--)
        {
            if (++bytes[i] != 0)
            {
                break;
            }
        }

        return new Guid(bytes, bigEndian: true);
    }
}
