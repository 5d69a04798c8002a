using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Queues;

namespace RadMah.LoadGen;

/// <summary>
/// `LoadGen soak [JOBS_PER_SECOND] [MINUTES] [CLIENTS] [OUT]`: the embedded node's memory over a long
/// run. `radmah serve` runs in its own process on its default storage; CLIENTS REST clients submit
/// one-row mock jobs at a steady total rate (open loop: each submission has its time slot, late
/// ones are sent at once), while every 10 s the node's resident memory, CPU and its queue's line
/// are sampled. At the end it waits for the line to empty and checks that each client's last jobs
/// succeeded. Writes OUT.csv (one row per sample) and OUT.png (memory over time), and prints the
/// resident memory after the warm-up (the first tenth) with its trend in MiB per hour (least squares).
/// </summary>
public static class Soak
{
    private const string CreateBody = "{\"rows\": 1, \"description\": \"orders\"}";

    public static async Task<int> RunAsync(string[] args)
    {
        var rate = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 278;
        var minutes = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 60;
        var clients = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 4;
        var output = args.Length > 4 ? args[4] : "soak";
        if (rate <= 0 || minutes <= 0 || clients < 1) throw new ArgumentException("usage: LoadGen soak [JOBS_PER_SECOND > 0] [MINUTES > 0] [CLIENTS ≥ 1] [OUT]");
        await using var node = await NodeProcess.StartAsync("soak");
        Console.WriteLine($"node: pid {node.Process.Id}");
        using var admin = await node.ConnectAdminAsync();
        var grains = admin.Services.GetRequiredService<IClusterClient>();
        using var users = await RestUsers.CreateAsync(grains, node.HttpPort, clients, TimeSpan.Zero, AccountPlan.Enterprise, 1_000_000m);
        var queue = grains.GetGrain<IJobQueueGrain>(QueueTiers.Default);

        var duration = TimeSpan.FromMinutes(minutes);
        var clock = Stopwatch.StartNew();
        var submitted = new long[clients];
        var lastIds = new string?[clients];
        var failures = 0L;
        using var stop = new CancellationTokenSource();
        var senders = users.Clients.Select((client, i) => Task.Run(async () =>
        {
            var interval = TimeSpan.FromSeconds(clients / rate);
            var due = TimeSpan.FromSeconds(interval.TotalSeconds * i / clients);
            while (due < duration)
            {
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                using var response = await client.PostAsync("/v1/jobs", new StringContent(CreateBody, Encoding.UTF8, "application/json"));
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode)
                {
                    if (Interlocked.Increment(ref failures) <= 5) Console.WriteLine($"POST /v1/jobs: {(int)response.StatusCode} {body}");
                }
                else
                {
                    using var doc = JsonDocument.Parse(body);
                    lastIds[i] = doc.RootElement.GetProperty("id").GetString();
                    Interlocked.Increment(ref submitted[i]);
                }
                due += interval;
            }
        })).ToArray();

        var samples = new List<Sample>();
        var sending = Task.WhenAll(senders);
        while (!sending.IsCompleted)
        {
            await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(10)));
            var depth = await queue.GetDepthAsync();
            var sample = new Sample(clock.Elapsed.TotalSeconds, submitted.Sum(), depth.Waiting + depth.Running, node.ResidentMiB(), node.Cpu().TotalSeconds);
            samples.Add(sample);
            Console.WriteLine($"{sample.Seconds,7:F0} s  submitted {sample.Submitted,9:N0}  in line {sample.InLine,7:N0}  resident {sample.ResidentMiB,6:N0} MiB  node CPU {sample.CpuSeconds,7:F0} s");
        }
        await sending;
        var sent = clock.Elapsed;
        // Every job submitted must finish: wait for the line to empty, then check each client's last job.
        while ((await queue.GetDepthAsync()) is { Waiting: > 0 } or { Running: > 0 }) await Task.Delay(500);
        for (var i = 0; i < clients; i++)
            if (lastIds[i] is { } id) await JobPolling.WaitUntilSucceededAsync(users.Clients[i], id, TimeSpan.FromMilliseconds(100));
        var drained = clock.Elapsed;
        await admin.StopAsync();

        var total = submitted.Sum();
        WriteCsv(output + ".csv", samples);
        WritePlot(output + ".png", samples, rate, clients);
        var warm = samples.Where(s => s.Seconds >= duration.TotalSeconds / 10).ToList();
        var slope = warm.Count >= 2 ? Slope(warm.Select(s => s.Seconds / 3600).ToArray(), warm.Select(s => s.ResidentMiB).ToArray()) : double.NaN;
        Console.WriteLine($"soak: {total:N0} one-row mock jobs over REST from {clients} clients in {sent.TotalMinutes:F1} min ({total / sent.TotalSeconds:N0} jobs/s asked {rate:N0}), " +
            $"all done {(drained - sent).TotalSeconds:F0} s after the last submission, {failures} refused; serve's default storage, {Environment.ProcessorCount} cores shared; " +
            $"resident memory after warm-up {warm.Min(s => s.ResidentMiB):N0}–{warm.Max(s => s.ResidentMiB):N0} MiB (last {warm[^1].ResidentMiB:N0}), trend {slope:+0;-0} MiB/h; " +
            $"node CPU {samples[^1].CpuSeconds * 1000 / Math.Max(1, samples[^1].Submitted):F2} ms per job; {output}.csv, {output}.png");
        return failures == 0 ? 0 : 1;
    }

    private sealed record Sample(double Seconds, long Submitted, int InLine, double ResidentMiB, double CpuSeconds);

    private static void WriteCsv(string path, IReadOnlyList<Sample> samples)
    {
        var text = new StringBuilder("seconds,submitted,in_line,resident_mib,node_cpu_s\n");
        foreach (var s in samples)
            text.Append(CultureInfo.InvariantCulture, $"{s.Seconds:F1},{s.Submitted},{s.InLine},{s.ResidentMiB:F1},{s.CpuSeconds:F1}\n");
        File.WriteAllText(path, text.ToString());
    }

    private static void WritePlot(string path, IReadOnlyList<Sample> samples, double rate, int clients)
    {
        var plot = new ScottPlot.Plot();
        var minutes = samples.Select(s => s.Seconds / 60).ToArray();
        var resident = plot.Add.Scatter(minutes, samples.Select(s => s.ResidentMiB).ToArray());
        resident.LegendText = "node resident memory (MiB)";
        var submitted = plot.Add.Scatter(minutes, samples.Select(s => s.Submitted / 1000.0).ToArray());
        submitted.LegendText = "jobs submitted (thousands)";
        plot.Title($"radmah serve (SQLite default): one-row jobs at {rate:N0}/s from {clients} REST clients");
        plot.XLabel("minutes");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(path, 900, 450);
    }

    /// <summary>Least-squares slope of y over x.</summary>
    private static double Slope(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }
}
