using System.Net;
using System.Net.Sockets;

namespace Company.Service1.Testing;

public static class FreePort
{
    /// <summary>A loopback TCP port that was free a moment ago (the OS hands out ephemeral ports round-robin).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
