using System.Net;
using System.Net.Sockets;

namespace Dev2Prod.Testing;

/// <summary>
/// A loopback TCP proxy in front of a real server, for outages at the network boundary: <see cref="Cut"/>
/// drops every open connection and refuses new ones (the server looks unreachable to the client), and
/// <see cref="Restore"/> lets traffic through again. The server itself keeps running untouched.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _open = [];
    private volatile bool _cut;

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (_cut)
            {
                inbound.Client.LingerState = new LingerOption(true, 0); // reset, like a refused connection
                inbound.Dispose();
                continue;
            }

            _ = PipeAsync(inbound);
        }
    }

    private async Task PipeAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(_targetHost, _targetPort, _stopping.Token);
            lock (_open)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            var a = inbound.GetStream().CopyToAsync(outbound.GetStream(), linked.Token);
            var b = outbound.GetStream().CopyToAsync(inbound.GetStream(), linked.Token);
            await Task.WhenAny(a, b);
            await linked.CancelAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Connection closed or cut.
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        _stopping.Dispose();
    }
}
