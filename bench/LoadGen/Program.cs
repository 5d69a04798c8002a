using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Silo;

// Measures the all-in-one node the way an in-cluster client uses it. Every loop is bounded.
//   latency [N]  — N sequential 100,000-row mock jobs: submission → succeeded, after 3 warm-up jobs
//   memory       — one 10,000,000-row mock job: peak working set of the process while it runs
var mode = args.FirstOrDefault() ?? "latency";
var data = Directory.CreateTempSubdirectory("radmah-loadgen-").FullName;
using var host = await NodeHost.StartAsync(new NodeOptions
{
    DataDirectory = data,
    WithWeb = false,
    SiloPort = FreePorts.Next(),
    GatewayPort = FreePorts.Next(),
    MinimumLogLevel = LogLevel.Warning,
});
var grains = host.Services.GetRequiredService<IGrainFactory>();
var account = grains.GetGrain<IAccountGrain>(DevelopmentAccount.Id);
try
{
    switch (mode)
    {
        case "latency":
            await LatencyAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20);
            break;
        case "memory":
            await MemoryAsync();
            break;
        default:
            Console.Error.WriteLine("usage: LoadGen latency [N] | memory");
            return 2;
    }
}
finally
{
    await host.StopAsync();
    Directory.Delete(data, recursive: true);
}
return 0;

async Task<JobView> RunJobAsync(long rows, long seed)
{
    var job = await account.CreateJobAsync(new JobSubmission("mock", rows, "customer transaction records", seed));
    var grain = grains.GetGrain<IJobGrain>(job.Id);
    while (!job.Status.IsTerminal()) job = await grain.WaitForChangeAsync(job.Version, TimeSpan.FromSeconds(10));
    if (job.Status != JobStatus.Succeeded) throw new InvalidOperationException($"{job.Id} {job.Status.ToWire()}: {job.Error}");
    return job;
}

async Task LatencyAsync(int count)
{
    for (var i = 0; i < 3; i++) await RunJobAsync(100_000, 1000 + i);
    var clientSide = new List<double>();
    var serverSide = new List<double>();
    for (var i = 0; i < count; i++)
    {
        var clock = Stopwatch.StartNew();
        var job = await RunJobAsync(100_000, i);
        clientSide.Add(clock.Elapsed.TotalMilliseconds);
        serverSide.Add((job.FinishedAt!.Value - job.CreatedAt).TotalMilliseconds);
    }
    Console.WriteLine($"100,000-row mock jobs, {count} sequential runs after 3 warm-up runs, {Environment.ProcessorCount} cores");
    Print("submit call → succeeded observed by client", clientSide);
    Print("created_at → finished_at (job history)", serverSide);
}

async Task MemoryAsync()
{
    using var process = Process.GetCurrentProcess();
    await RunJobAsync(100_000, 1);
    GC.Collect();
    process.Refresh();
    var baseline = process.WorkingSet64;
    long peak = baseline;
    using var stop = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            process.Refresh();
            peak = Math.Max(peak, process.WorkingSet64);
            await Task.Delay(20);
        }
    });
    var clock = Stopwatch.StartNew();
    var job = await RunJobAsync(10_000_000, 2);
    clock.Stop();
    stop.Cancel();
    await sampler;
    var artifacts = await grains.GetGrain<IJobGrain>(job.Id).GetArtifactsAsync();
    var outputBytes = artifacts.Sum(a => a.SizeBytes);
    Console.WriteLine($"10,000,000-row mock job in {clock.Elapsed.TotalSeconds:F2} s ({10_000_000 / clock.Elapsed.TotalSeconds:N0} rows/s, CSV + Arrow + contract)");
    Console.WriteLine($"outputs written: {outputBytes / 1e6:N0} MB; working set before: {baseline / 1e6:N0} MB; peak during the job: {peak / 1e6:N0} MB");
}

static void Print(string label, List<double> ms)
{
    ms.Sort();
    double P(double q) => ms[(int)Math.Min(ms.Count - 1, Math.Ceiling(q * ms.Count) - 1)];
    Console.WriteLine($"{label}: p50 {P(0.5):F0} ms, p95 {P(0.95):F0} ms, max {ms[^1]:F0} ms");
}
