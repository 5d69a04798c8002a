using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Measurement;
using RadMah.Silo;

// Measures the all-in-one node the way an in-cluster client uses it. Every loop is bounded.
//   latency [N]  — N sequential 100,000-row mock jobs: submission → succeeded, after 3 warm-up jobs
//   memory       — one 10,000,000-row mock job: peak working set of the process while it runs
//   gateway      — 100 concurrent REST clients: CreateJob and GetJob latency, then a 1,000,000-row CSV download
//   gateway-paced, gateway-users — the same 100 clients with think time between calls
//   create       — in-cluster CreateJob next to its building blocks, and the CPU a tiny job costs
//   service [THINK_MS] [CREATES] [GETS] [WARMUP_S] — 100 REST clients here against `radmah serve` in its own process (ServiceLoad.cs)
//   failover [USERS] [WARMUP_S] [--nodes DIR] — a 3-silo PostgreSQL cluster under REST load, one silo killed (Failover.cs)
//   lifecycle [CLIENTS] [JOBS] [ROUNDS] — jobs/s of one-row jobs submitted back to back, as bench/Celery measures Celery (Lifecycle.cs)
//   soak [JOBS_PER_SECOND] [MINUTES] [CLIENTS] [OUT] — the node's resident memory under a steady stream of jobs (Soak.cs)
var mode = args.FirstOrDefault() ?? "latency";
if (mode == "service") return await RadMah.LoadGen.ServiceLoad.RunAsync(args);
if (mode == "failover") return await RadMah.LoadGen.Failover.RunAsync(args);
if (mode == "lifecycle") return await RadMah.LoadGen.Lifecycle.RunAsync(args);
if (mode == "soak") return await RadMah.LoadGen.Soak.RunAsync(args);
var data = Directory.CreateTempSubdirectory("radmah-loadgen-").FullName;
var httpPort = FreePorts.Next();
// RADMAH_BENCH_STORAGE=sqlite measures the node on serve's durable default; otherwise process memory.
var storage = Environment.GetEnvironmentVariable("RADMAH_BENCH_STORAGE") == "sqlite" ? StorageProfile.Sqlite : StorageProfile.Memory;
Console.WriteLine($"storage: {storage}");
using var host = await NodeHost.StartAsync(new NodeOptions
{
    DataDirectory = data,
    Storage = storage,
    WithWeb = mode.StartsWith("gateway", StringComparison.Ordinal),
    SiloPort = FreePorts.Next(),
    GatewayPort = FreePorts.Next(),
    DashboardPort = FreePorts.Next(),
    HttpPort = httpPort,
    GrpcPort = FreePorts.Next(),
    MinimumLogLevel = LogLevel.Warning,
});
var grains = host.Services.GetRequiredService<IGrainFactory>();
var account = grains.GetGrain<IAccountJobsGrain>(DevelopmentAccount.Id);
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
        case "gateway":
            // Closed loop, no pause between calls: the node's saturation point.
            await GatewayAsync(clients: 100, createsPerClient: 10, getsPerClient: 100, pause: TimeSpan.Zero);
            break;
        case "gateway-custom" when args.Length == 5:
            await GatewayAsync(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(int.Parse(args[4], CultureInfo.InvariantCulture)));
            break;
        case "create":
            await CreateLatencyAsync();
            break;
        case "gateway-paced":
            // 100 users at work: each thinks for 100 ms on average between calls (~1,000 calls/s offered).
            await GatewayAsync(clients: 100, createsPerClient: 10, getsPerClient: 50, pause: TimeSpan.FromMilliseconds(100));
            break;
        case "gateway-users":
            // 100 users who each think for 1 s on average between calls (~100 calls/s offered).
            await GatewayAsync(clients: 100, createsPerClient: 10, getsPerClient: 30, pause: TimeSpan.FromSeconds(1));
            break;
        default:
            Console.Error.WriteLine("usage: LoadGen latency [N] | memory | create | gateway | gateway-paced | gateway-users | gateway-custom CLIENTS CREATES GETS PAUSE_MS");
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
    await RunJobAsync(100_000, 1);
    using var memory = PeakWorkingSet.Start();
    var clock = Stopwatch.StartNew();
    var job = await RunJobAsync(10_000_000, 2);
    clock.Stop();
    var peak = await memory.StopAsync();
    var artifacts = await grains.GetGrain<IJobGrain>(job.Id).GetArtifactsAsync();
    var outputBytes = artifacts.Sum(a => a.SizeBytes);
    Console.WriteLine($"10,000,000-row mock job in {clock.Elapsed.TotalSeconds:F2} s ({10_000_000 / clock.Elapsed.TotalSeconds:N0} rows/s, CSV + Arrow + contract)");
    Console.WriteLine($"outputs written: {outputBytes / 1e6:N0} MB; working set before: {memory.Before / 1e6:N0} MB; peak during the job: {peak / 1e6:N0} MB");
}

async Task GatewayAsync(int clients, int createsPerClient, int getsPerClient, TimeSpan pause)
{
    using var users = await RadMah.LoadGen.RestUsers.CreateAsync(grains, httpPort, clients, pause);
    // Warm-up: one create and one get per client.
    var warm = await Task.WhenAll(users.Clients.Select((_, i) => users.CreateJobAsync(i)));
    await Task.WhenAll(users.Clients.Select((h, i) => h.GetStringAsync($"/v1/jobs/{warm[i]}")));

    var gcPauseBefore = GC.GetTotalPauseDuration();
    var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    var (ids, createMs, createSeconds) = await users.CreatePhaseAsync(createsPerClient);
    var (getMs, getSeconds) = await users.GetPhaseAsync(ids, getsPerClient);
    Console.WriteLine($"{clients} concurrent REST clients (one account, key and connection each), {pause.TotalMilliseconds:0} ms mean think time between calls, node and clients in one process on {Environment.ProcessorCount} cores");
    Print($"CreateJob ({createMs.Count} calls, {createMs.Count / createSeconds:N0}/s)", createMs);
    Print($"GetJob ({getMs.Count} calls, {getMs.Count / getSeconds:N0}/s)", getMs);
    Console.WriteLine($"garbage collections meanwhile (gen0/gen1/gen2): {GC.CollectionCount(0) - gcBefore.Item1}/{GC.CollectionCount(1) - gcBefore.Item2}/{GC.CollectionCount(2) - gcBefore.Item3}, paused {(GC.GetTotalPauseDuration() - gcPauseBefore).TotalMilliseconds:F0} ms in all");

    // Download: a 1,000,000-row CSV over REST, read to the end, three times.
    var big = await account.CreateJobAsync(new JobSubmission("mock", 1_000_000, "customer transaction records", 1));
    var bigGrain = grains.GetGrain<IJobGrain>(big.Id);
    while (!big.Status.IsTerminal()) big = await bigGrain.WaitForChangeAsync(big.Version, TimeSpan.FromSeconds(10));
    var csv = (await bigGrain.GetArtifactsAsync()).Single(a => a.ArtifactType == "dataset.csv");
    var devKey = (await grains.GetGrain<IAccountKeysGrain>(DevelopmentAccount.Id).CreateAsync()).Key;
    using var downloader = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    downloader.DefaultRequestHeaders.Add("X-API-Key", devKey);
    var rates = new List<double>();
    for (var i = 0; i < 4; i++)
    {
        var t = Stopwatch.StartNew();
        using var response = await downloader.GetAsync($"/v1/artifacts/{csv.Id}/content", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0) total += read;
        if (total != csv.SizeBytes) throw new InvalidOperationException("short download");
        if (i > 0) rates.Add(total / 1e6 / t.Elapsed.TotalSeconds);
    }
    Console.WriteLine($"1,000,000-row CSV ({csv.SizeBytes / 1e6:N0} MB) over REST: {string.Join(", ", rates.Select(r => $"{r:N0}"))} MB/s (3 runs after 1 warm-up)");
}

// In-cluster CreateJob latency, without HTTP, next to the cost of its building blocks: a grain
// call, a grain call that writes state once, and compiling + sealing a contract.
async Task CreateLatencyAsync()
{
    var ledger = grains.GetGrain<RadMah.Grains.Interfaces.Credits.ICreditLedgerGrain>(RadMah.Grains.Interfaces.Ids.NewAccountId());
    var reads = new List<double>();
    var writes = new List<double>();
    var compile = new List<double>();
    for (var i = 0; i < 220; i++)
    {
        var t = Stopwatch.GetTimestamp();
        await ledger.GetBalanceAsync();
        var read = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        t = Stopwatch.GetTimestamp();
        await ledger.DepositAsync(1m, "benchmark");
        var write = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        t = Stopwatch.GetTimestamp();
        RadMah.Engine.Mock.Description.DescriptionCompiler.Compile("orders", 10, i).Contract.Seal();
        var sealing = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        if (i < 20) continue;
        reads.Add(read);
        writes.Add(write);
        compile.Add(sealing);
    }
    var ownerId = RadMah.Grains.Interfaces.Ids.NewAccountId();
    await grains.GetGrain<IAccountGrain>(ownerId).CreateAsync(AccountPlan.Pro, 100m);
    var owner = grains.GetGrain<IAccountJobsGrain>(ownerId);
    var creates = new List<double>();
    var jobs = new List<JobView>();
    using var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var wallBefore = Stopwatch.StartNew();
    for (var i = 0; i < 220; i++)
    {
        var t = Stopwatch.GetTimestamp();
        jobs.Add(await owner.CreateJobAsync(new JobSubmission("mock", 10, "orders", i)));
        if (i >= 20) creates.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
    }
    foreach (var job in jobs)
    {
        var view = job;
        var grain = grains.GetGrain<IJobGrain>(job.Id);
        while (!view.Status.IsTerminal()) view = await grain.WaitForChangeAsync(view.Version, TimeSpan.FromSeconds(10));
    }
    process.Refresh();
    var cpuPerJob = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / jobs.Count;
    Console.WriteLine("200 sequential calls after 20 warm-up calls each, in-cluster client");
    Console.WriteLine($"{jobs.Count} ten-row jobs created and finished in {wallBefore.Elapsed.TotalSeconds:F2} s; process CPU per job (create + run + commit): {cpuPerJob:F2} ms");
    Print("grain call, no storage write", reads);
    Print("grain call with one storage write (the node's provider)", writes);
    Print("compile a description and seal the contract", compile);
    Print("CreateJob (10-row mock jobs, each also runs)", creates);
}

static void Print(string label, List<double> ms) => RadMah.LoadGen.Latencies.Print(label, ms);
