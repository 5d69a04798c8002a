using System.Net;
using System.Net.Sockets;

namespace RadMah.Silo;

/// <summary>Loopback ports nobody is listening on, so an embedded node never collides with a running `radmah serve`.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
