using System.Net.Sockets;
using System.Text;

namespace Company.Service1.Hosting.Tests.Systemd;

/// <summary>
/// The receiving end of sd_notify, as systemd opens it for a Type=notify unit: a unix datagram socket whose path
/// the service finds in NOTIFY_SOCKET. Each datagram is one state change such as "READY=1".
/// </summary>
public sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket;
    private readonly string _directory;

    public NotifySocket()
    {
        _directory = Directory.CreateTempSubdirectory("notify-").FullName;
        Path = System.IO.Path.Combine(_directory, "notify.sock");
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
    }

    public string Path { get; }

    /// <summary>The next message, or a TimeoutException naming what was expected.</summary>
    public async Task<string> ReceiveAsync(TimeSpan timeout, string expected)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            var length = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No sd_notify message within {timeout} (expected {expected}).");
        }
    }

    /// <summary>Everything already delivered, without waiting.</summary>
    public IReadOnlyList<string> Drain()
    {
        var messages = new List<string>();
        var buffer = new byte[4096];
        while (_socket.Available > 0)
        {
            var length = _socket.Receive(buffer);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, length));
        }

        return messages;
    }

    public void Dispose()
    {
        _socket.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
