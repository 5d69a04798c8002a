using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadMah.Silo;

namespace RadMah.LoadGen;

/// <summary>
/// `radmah serve` in a process of its own (`RadMah.Silo.dll`, the program the script runs), on free
/// loopback ports and a fresh data directory, as a user starts it. RADMAH_NODE_ARGS adds options
/// ("--storage memory", "--storage postgres --pg …"); RADMAH_NODE_ENV="K=V;K=V" sets runtime knobs
/// (GC settings, say) for the node only.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private NodeProcess(Process process, string data, int http, int cluster, string clusterId)
    {
        Process = process;
        DataDirectory = data;
        HttpPort = http;
        ClusterPort = cluster;
        ClusterId = clusterId;
    }

    /// <summary>
    /// The node's cluster (and service) id, new for every node: on PostgreSQL, a node killed at the end of an earlier run leaves
    /// its row in the shared membership table, and a node of the same cluster on another port would first have to wait for it
    /// to be declared dead.
    /// </summary>
    public string ClusterId { get; }

    public Process Process { get; }
    public string DataDirectory { get; }
    public int HttpPort { get; }

    /// <summary>The gateway port in-cluster clients connect to.</summary>
    public int ClusterPort { get; }

    public static async Task<NodeProcess> StartAsync(string name, IEnumerable<string>? extraArgs = null)
    {
        var data = Directory.CreateTempSubdirectory($"radmah-{name}-").FullName;
        var clusterId = $"loadgen-{Guid.NewGuid():N}"[..16];
        int http = FreePorts.Next(), grpc = FreePorts.Next(), silo = FreePorts.Next(), cluster = FreePorts.Next(), dashboard = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "RadMah.Silo.dll"), "--data", data, "--http-port", $"{http}", "--grpc-port", $"{grpc}",
            "--silo-port", $"{silo}", "--cluster-port", $"{cluster}", "--dashboard-port", $"{dashboard}", "--cluster-id", clusterId }) start.ArgumentList.Add(a);
        foreach (var a in extraArgs ?? []) start.ArgumentList.Add(a);
        foreach (var a in (Environment.GetEnvironmentVariable("RADMAH_NODE_ARGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)) start.ArgumentList.Add(a);
        foreach (var pair in (Environment.GetEnvironmentVariable("RADMAH_NODE_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0) throw new ArgumentException($"RADMAH_NODE_ENV: '{pair}' is not NAME=VALUE.");
            start.Environment[pair[..equals]] = pair[(equals + 1)..];
        }
        var process = Process.Start(start)!;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null && errors.Count < 50) errors.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new NodeProcess(process, data, http, cluster, clusterId);
        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
        for (var i = 0; ; i++)
        {
            if (process.HasExited)
            {
                var exitCode = process.ExitCode;
                await node.DisposeAsync();
                throw new InvalidOperationException($"the node exited ({exitCode}): {string.Join('\n', errors)}");
            }
            try
            {
                if ((await probe.GetAsync("/healthz")).IsSuccessStatusCode) return node;
            }
            catch (HttpRequestException)
            {
            }
            if (i >= 120)
            {
                await node.DisposeAsync();
                throw new TimeoutException("the node never became healthy");
            }
            await Task.Delay(500);
        }
    }

    /// <summary>An in-cluster client of the node, for what only the platform's operator can do (accounts, keys); stop it when done.</summary>
    public async Task<IHost> ConnectAdminAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(c => c.UseLocalhostClustering(ClusterPort, serviceId: ClusterId, clusterId: ClusterId));
        var admin = builder.Build();
        await admin.StartAsync();
        return admin;
    }

    /// <summary>User + system CPU time of the node so far, from /proc/PID/stat (clock ticks of 1/100 s).</summary>
    public TimeSpan Cpu()
    {
        var fields = File.ReadAllText($"/proc/{Process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>The node's resident memory (VmRSS of /proc/PID/status), in MiB.</summary>
    public double ResidentMiB()
    {
        var line = File.ReadLines($"/proc/{Process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        await Process.WaitForExitAsync();
        Process.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
