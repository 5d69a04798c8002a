using System.Net;
using System.Net.Sockets;

namespace RadMah.Silo;

/// <summary>Loopback ports nobody is listening on, so an embedded node never collides with a running `radmah serve`.</summary>
public static class FreePorts
{
    private static readonly HashSet<int> Given = [];

    /// <summary>A port free now and not given before by this process (the system may hand a port just released out again).</summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (Given)
                if (Given.Add(port)) return port;
        }
    }
}
