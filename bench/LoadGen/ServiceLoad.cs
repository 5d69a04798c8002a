using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Silo;

namespace RadMah.LoadGen;

/// <summary>
/// `LoadGen service [THINK_MS] [CREATES] [GETS] [WARMUP_S] [--client wrk|dotnet]`: the all-in-one node as users run it, in its own
/// process (`RadMah.Silo.dll`, the same program as `./radmah serve`), and 100 REST clients in this
/// one, each with its own account, key and HTTP/1.1 connection. Each client creates CREATES
/// ten-row mock jobs, then reads its jobs GETS times with GET /v1/jobs/{id}, thinking THINK_MS on
/// average (exponentially distributed, random first wait) between calls; 0 is a closed loop. The
/// node's CPU time is read from /proc, so the cost per call is the server's alone.
/// </summary>
public static class ServiceLoad
{
    public const int Clients = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        // --client wrk: the users are played by wrk (WrkUsers.cs) instead of .NET HttpClients in this process.
        var wrkClient = false;
        if (Array.IndexOf(args, "--client") is var flag and >= 0)
        {
            if (flag + 1 >= args.Length || args[flag + 1] is not ("wrk" or "dotnet"))
                throw new ArgumentException("--client takes wrk or dotnet.");
            wrkClient = args[flag + 1] == "wrk";
            args = [.. args[..flag], .. args[(flag + 2)..]];
        }
        if (wrkClient) WrkUsers.Locate();
        var think = TimeSpan.FromMilliseconds(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1000);
        var creates = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        var gets = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 30;
        var warmUp = TimeSpan.FromSeconds(args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 60);
        await using var node = await NodeProcess.StartAsync("service-load");
        using var pauses = NodeGcPauses.Attach(node.Process.Id);
        using var admin = await node.ConnectAdminAsync();
        var grains = admin.Services.GetRequiredService<IClusterClient>();
        using var users = await RestUsers.CreateAsync(grains, node.HttpPort, Clients, think);
        await admin.StopAsync();
        if (wrkClient) return await RunWithWrkAsync(new WrkUsers(users.Keys, think, node.HttpPort, node.DataDirectory), node, pauses, think, creates, gets, warmUp);

        // Warm-up: the same workload (same clients, same think time) for WARMUP seconds, so the
        // JIT has tiered up the hot paths and the node holds the jobs a minute of this load makes.
        var warming = Stopwatch.StartNew();
        await Task.WhenAll(users.Clients.Select(async (client, i) =>
        {
            await users.ThinkAsync(i, first: true);
            while (warming.Elapsed < warmUp)
            {
                var id = await users.CreateJobAsync(i);
                await users.ThinkAsync(i);
                await client.GetStringAsync($"/v1/jobs/{id}");
                await users.ThinkAsync(i);
            }
        }));
        await Task.Delay(2000);

        var steal0 = StealAndTotal();
        var measuredFrom = DateTime.UtcNow;
        var cpu0 = node.Cpu();
        var (ids, createMs, createSeconds) = await users.CreatePhaseAsync(creates);
        var cpu1 = node.Cpu();
        var (getMs, getSeconds) = await users.GetPhaseAsync(ids, gets);
        var cpu2 = node.Cpu();
        var measuredTo = DateTime.UtcNow;
        var steal1 = StealAndTotal();
        Console.WriteLine($"{Clients} REST clients in a separate process against `radmah serve` (RadMah.Silo.dll), {think.TotalMilliseconds:0} ms mean think time, {Environment.ProcessorCount} cores shared");
        Latencies.Print($"CreateJob ({createMs.Count} calls, {createMs.Count / createSeconds:N0}/s, node CPU {(cpu1 - cpu0).TotalMilliseconds / createMs.Count:F2} ms per call incl. running the job)", createMs);
        Latencies.Print($"GetJob ({getMs.Count} calls, {getMs.Count / getSeconds:N0}/s, node CPU {(cpu2 - cpu1).TotalMilliseconds / getMs.Count:F2} ms per call)", getMs);
        PrintSteal(steal0, steal1);
        await PrintPausesAsync(pauses, measuredFrom, measuredTo);
        Console.WriteLine($"Node resident memory at the end: {node.ResidentMiB():N0} MiB");
        return 0;
    }

    /// <summary>
    /// The same phases played by wrk. wrk runs for a time rather than a count of calls, so each phase lasts
    /// its calls per user times the think time (at 1 s think time and 30 calls, 30 s: about 30 calls per user).
    /// </summary>
    private static async Task<int> RunWithWrkAsync(WrkUsers users, NodeProcess node, NodeGcPauses pauses, TimeSpan think, int creates, int gets, TimeSpan warmUp)
    {
        await users.RunAsync("mixed", warmUp);
        await Task.Delay(2000);
        var steal0 = StealAndTotal();
        var measuredFrom = DateTime.UtcNow;
        var cpu0 = node.Cpu();
        var (createResult, created) = await users.RunAsync("create", think * creates);
        var cpu1 = node.Cpu();
        var (getResult, _) = await users.RunAsync("get", think * gets, created);
        var cpu2 = node.Cpu();
        var measuredTo = DateTime.UtcNow;
        var steal1 = StealAndTotal();
        Console.WriteLine($"{Clients} REST clients played by wrk (one thread and connection each) against `radmah serve` (RadMah.Silo.dll), {think.TotalMilliseconds:0} ms mean think time, {Environment.ProcessorCount} cores shared");
        Console.WriteLine($"CreateJob ({createResult}; node CPU {(cpu1 - cpu0).TotalMilliseconds / createResult.Requests:F2} ms per call incl. running the job)");
        Console.WriteLine($"GetJob ({getResult}; node CPU {(cpu2 - cpu1).TotalMilliseconds / getResult.Requests:F2} ms per call)");
        PrintSteal(steal0, steal1);
        await PrintPausesAsync(pauses, measuredFrom, measuredTo);
        Console.WriteLine($"Node resident memory at the end: {node.ResidentMiB():N0} MiB");
        return createResult.Failed + getResult.Failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// CPU time the hypervisor gave to other guests while this (virtual) machine wanted it, and all
    /// CPU time, from the first line of /proc/stat: steal makes latency spikes no code here causes.
    /// </summary>
    private static (long Steal, long Total) StealAndTotal()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (fields.Length > 7 ? fields[7] : 0, fields.Take(8).Sum());
    }

    private static void PrintSteal((long Steal, long Total) before, (long Steal, long Total) after) =>
        Console.WriteLine($"CPU stolen by the hypervisor during both phases: {100.0 * (after.Steal - before.Steal) / Math.Max(1, after.Total - before.Total):F1}% of the machine's CPU time");

    /// <summary>
    /// The node's pauses over the measured phases, and since it answered /healthz (warm-up included): a long one in the warm-up
    /// is as likely to fall in a measured phase on the next run.
    /// </summary>
    private static async Task PrintPausesAsync(NodeGcPauses pauses, DateTime measuredFrom, DateTime measuredTo)
    {
        await pauses.StopAsync();
        Console.WriteLine($"Node pauses during both phases: {pauses.Summarize(measuredFrom, measuredTo)}");
        Console.WriteLine($"Node pauses since it was ready: {pauses.Summarize(DateTime.MinValue, measuredTo)}");
    }
}
