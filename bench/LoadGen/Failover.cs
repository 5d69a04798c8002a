using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Silo;

namespace RadMah.LoadGen;

/// <summary>
/// `LoadGen failover [USERS] [WARMUP_S] [--nodes DIR]`: a 3-silo cluster on a private PostgreSQL,
/// with a gateway, each in its own process, as deploy/local-cluster.sh runs it. USERS REST clients
/// (default 20) create 20,000-row mock jobs and read them back, thinking 200 ms between calls. After
/// WARMUP_S seconds (default 20) one silo that is running work is killed with SIGKILL. Printed: the
/// calls of the minute before and of the minute after the kill (p50, p99, max, and answers by
/// status), when the cluster declared the silo dead, and when each job interrupted on it started
/// again elsewhere. Every process is the radmah command (`serve --silo-only`, `gateway`, `admin`) of
/// the build in --nodes DIR, by default this repository's (.build/cli, which `./radmah` builds); give
/// another build's directory for an A/B.
/// </summary>
public static class Failover
{
    private const long Rows = 20_000;

    /// <summary>Where each process's output goes: a temporary directory, kept (and named) when RADMAH_KEEP_LOGS=1.</summary>
    private static readonly string Logs = Directory.CreateTempSubdirectory("radmah-failover-logs-").FullName;
    private static int _started;
    private static readonly TimeSpan Think = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private sealed record Call(DateTime At, double Ms, int Status, string What, string Detail = "");

    public static async Task<int> RunAsync(string[] args)
    {
        var nodes = Path.Combine(RepositoryRoot(), ".build", "cli");
        if (Array.IndexOf(args, "--nodes") is var flag and >= 0)
        {
            nodes = Path.GetFullPath(args[flag + 1]);
            args = [.. args[..flag], .. args[(flag + 2)..]];
        }
        if (!File.Exists(Path.Combine(nodes, "radmah.dll")))
            throw new FileNotFoundException($"no radmah.dll in {nodes}: run ./radmah --help once to build it, or give --nodes DIR.");
        var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var warmUp = TimeSpan.FromSeconds(args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 20);
        var work = Directory.CreateTempSubdirectory("radmah-failover-").FullName;
        // The server runs as its own user, so its data lives under the repository's data/ (as deploy/pg-up.sh's does), not in a private temp directory.
        var pgData = Path.Combine(RepositoryRoot(), "data", "failover-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var pgEnvironment = new Dictionary<string, string> { ["RADMAH_PG_DATA"] = pgData, ["RADMAH_PG_PORT"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture) };
        var connection = (await ShellAsync("pg-up.sh", pgEnvironment)).Trim().Split('\n')[^1];
        var processes = new List<Process>();
        var clusterId = "failover-" + Guid.NewGuid().ToString("N")[..8];
        int[] siloPorts = [FreePorts.Next(), FreePorts.Next(), FreePorts.Next()];
        int[] clusterPorts = [FreePorts.Next(), FreePorts.Next(), FreePorts.Next()];
        string[] tiers = ["default,interactive", "default,free", "default"];
        var http = FreePorts.Next();
        try
        {
            for (var i = 0; i < 3; i++)
                processes.Add(Start(nodes, "serve", "--silo-only", "--storage", "postgres", "--pg", connection, "--cluster-id", clusterId,
                    "--data", Path.Combine(work, "shared"), "--silo-port", $"{siloPorts[i]}", "--cluster-port", $"{clusterPorts[i]}",
                    "--dashboard-port", $"{FreePorts.Next()}", "--queues", tiers[i]));
            processes.Add(Start(nodes, "gateway", "--storage", "postgres", "--pg", connection, "--cluster-id", clusterId,
                "--data", Path.Combine(work, "shared"), "--http-port", $"{http}", "--grpc-port", $"{FreePorts.Next()}"));

            using var admin = await ConnectAsync(clusterPorts[0], clusterId);
            var grains = admin.Services.GetRequiredService<IClusterClient>();
            var management = grains.GetGrain<IManagementGrain>(0);
            while ((await management.GetHosts(onlyActive: true)).Count < 3) await Task.Delay(500);
            // Through the build's own admin command: the account and key grains differ between builds, the job grain does not.
            var key = JsonNode.Parse(await AdminAsync(nodes, "--cluster-port", $"{clusterPorts[0]}", "--cluster-id", clusterId,
                "accounts", "create", "--plan", "enterprise", "--credits", "100000", "--json"))!["api_key"]!.GetValue<string>();
            await WaitHealthyAsync(http);

            var calls = new ConcurrentBag<Call>();
            var created = new ConcurrentBag<string>();
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, users).Select(u => UserAsync(u, http, key, calls, created, stop.Token)).ToArray();
            await Task.Delay(warmUp);

            // Large jobs, so that the kill interrupts work for certain: the victim is silo 2 or 3 (the
            // admin client talks through silo 1), whichever first runs one of them short of its last quarter.
            using (var submitter = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") })
            {
                submitter.DefaultRequestHeaders.Add("X-API-Key", key);
                for (var i = 0; i < 8;)
                {
                    var response = await submitter.PostAsJsonAsync("/v1/jobs", new { rows = 3_000_000, description = "orders", seed = i });
                    if (!response.IsSuccessStatusCode) continue; // 503 while the cluster is busy: ask again
                    created.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
                    i++;
                }
            }
            bool RunsOn(JobView v, int silo) => v.Status == JobStatus.Running && v.Worker?.StartsWith($"127.0.0.1:{siloPorts[silo]}@", StringComparison.Ordinal) == true;
            var victim = -1;
            JobView[] views = [];
            for (var look = DateTime.UtcNow; victim < 0; await Task.Delay(100))
            {
                if (DateTime.UtcNow - look > Window) throw new TimeoutException("no large job ran on silo 2 or 3 within a minute");
                views = await Task.WhenAll(created.Select(id => grains.GetGrain<IJobGrain>(id).GetAsync()));
                victim = new[] { 1, 2 }.FirstOrDefault(i => views.Any(v => RunsOn(v, i) && v.Rows >= 1_000_000 && v.RowsDone < v.Rows * 3 / 4), -1);
            }
            var interrupted = views.Where(v => RunsOn(v, victim)).ToDictionary(v => v.Id, v => v.Attempts);
            var killedAt = DateTime.UtcNow;
            processes[victim].Kill(entireProcessTree: true);

            var declaredDead = WatchDeathAsync(management, siloPorts[victim], killedAt);
            var restarted = WatchRestartsAsync(grains, interrupted, killedAt);
            await Task.Delay(Window);
            stop.Cancel();
            await Task.WhenAll(clients);

            var before = calls.Where(c => c.At >= killedAt - Window && c.At < killedAt).ToList();
            var after = calls.Where(c => c.At >= killedAt && c.At < killedAt + Window).ToList();
            Console.WriteLine($"3 silos + gateway on PostgreSQL (nodes from {nodes}), {users} REST users, {Rows:N0}-row jobs, {Think.TotalMilliseconds:0} ms think time; silo {victim + 1} killed (SIGKILL) after {warmUp.TotalSeconds:0} s with {interrupted.Count} of the users' jobs running on it");
            Print("minute before the kill", before);
            Print("minute after the kill", after);
            Console.WriteLine($"silo declared dead: {await declaredDead}");
            Console.WriteLine($"interrupted jobs started again: {await restarted}");
            foreach (var failure in after.Concat(before).Where(c => c.Status is 0 or >= 500 and not 503).Take(5))
                Console.WriteLine($"  {failure.What} at +{(failure.At - killedAt).TotalSeconds:F1} s: {(failure.Status == 0 ? "no answer" : failure.Status)} after {failure.Ms:F0} ms {failure.Detail}");
            return 0;
        }
        finally
        {
            foreach (var p in processes)
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.Dispose();
            }
            await ShellAsync("pg-down.sh", pgEnvironment);
            Directory.Delete(work, recursive: true);
            if (Environment.GetEnvironmentVariable("RADMAH_KEEP_LOGS") == "1") Console.WriteLine($"process logs: {Logs}");
            else Directory.Delete(Logs, recursive: true);
            if (Directory.Exists(pgData)) Directory.Delete(pgData, recursive: true);
            File.Delete(pgData + ".log");
        }
    }

    private static async Task UserAsync(int user, int http, string key, ConcurrentBag<Call> calls, ConcurrentBag<string> created, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        string? last = null;
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var id = await TimedAsync(calls, "CreateJob", () => client.PostAsJsonAsync("/v1/jobs", new { rows = Rows, description = "orders", seed = user * 100_000 + i }));
            if (id is not null)
            {
                created.Add(id);
                last = id;
            }
            await Task.Delay(Think);
            if (last is not null) await TimedAsync(calls, "GetJob", () => client.GetAsync($"/v1/jobs/{last}"));
            await Task.Delay(Think);
        }
    }

    /// <summary>Times one call; its status, or 0 when no answer came (a reset, or no answer within the client's timeout). Returns a created job's id.</summary>
    private static async Task<string?> TimedAsync(ConcurrentBag<Call> calls, string what, Func<Task<HttpResponseMessage>> send)
    {
        var at = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            calls.Add(new Call(at, clock.Elapsed.TotalMilliseconds, (int)response.StatusCode, what, response.IsSuccessStatusCode ? "" : body[..Math.Min(body.Length, 200)]));
            return what == "CreateJob" && response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(body)!["id"]!.GetValue<string>() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            calls.Add(new Call(at, clock.Elapsed.TotalMilliseconds, 0, what, ex.GetBaseException().Message));
            return null;
        }
    }

    private static void Print(string label, List<Call> calls)
    {
        var statuses = string.Join(", ", calls.GroupBy(c => c.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))}: {g.Count()}"));
        Latencies.Print($"{label}, all calls ({statuses}; over 5 s: {calls.Count(c => c.Ms > 5_000)})", [.. calls.Select(c => c.Ms)]);
    }

    private static async Task<string> WatchDeathAsync(IManagementGrain management, int port, DateTime killedAt)
    {
        while (DateTime.UtcNow - killedAt < Window)
        {
            try
            {
                var hosts = await management.GetHosts(onlyActive: true);
                if (!hosts.Keys.Any(s => s.Endpoint.Port == port)) return $"{(DateTime.UtcNow - killedAt).TotalSeconds:F1} s after the kill";
            }
            catch (Exception ex) when (ex is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
            {
            }
            await Task.Delay(200);
        }
        return "not within a minute";
    }

    private static async Task<string> WatchRestartsAsync(IGrainFactory grains, IReadOnlyDictionary<string, int> interrupted, DateTime killedAt)
    {
        var restarted = new Dictionary<string, double>();
        var finishedFirst = new HashSet<string>();
        while (restarted.Count + finishedFirst.Count < interrupted.Count && DateTime.UtcNow - killedAt < Window)
        {
            foreach (var (id, attempts) in interrupted.Where(j => !restarted.ContainsKey(j.Key) && !finishedFirst.Contains(j.Key)))
            {
                try
                {
                    var view = await grains.GetGrain<IJobGrain>(id).GetAsync();
                    if (view.Attempts > attempts) restarted[id] = (DateTime.UtcNow - killedAt).TotalSeconds;
                    // Its work had reported before the kill took effect: nothing was interrupted.
                    else if (view.Status.IsTerminal()) finishedFirst.Add(id);
                }
                catch (Exception ex) when (ex is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
                {
                }
            }
            await Task.Delay(200);
        }
        if (interrupted.Count == 0) return "none was running on the killed silo";
        var seconds = restarted.Values.Order().ToArray();
        return $"{restarted.Count} of {interrupted.Count}" + (seconds.Length == 0 ? "" : $", first after {seconds[0]:F1} s, last after {seconds[^1]:F1} s")
            + (finishedFirst.Count > 0 ? $" ({finishedFirst.Count} had finished before the kill took effect)" : "")
            + $" [{string.Join(", ", interrupted.Keys)}]";
    }

    /// <summary>Starts `radmah COMMAND ARGS` of the build in <paramref name="directory"/>; its output goes to LOGS/COMMAND-N.log.</summary>
    private static Process Start(string directory, string command, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(directory, "radmah.dll"));
        start.ArgumentList.Add(command);
        foreach (var a in args) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        var log = new StreamWriter(Path.Combine(Logs, $"{command}-{Interlocked.Increment(ref _started)}.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> AdminAsync(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(directory, "radmah.dll"));
        start.ArgumentList.Add("admin");
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"radmah admin {string.Join(' ', args)} failed ({process.ExitCode}): {text}");
        return text;
    }

    private static async Task<IHost> ConnectAsync(int clusterPort, string clusterId)
    {
        for (var attempt = 0; ; attempt++)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            // The watcher asks often and must not wait 30 s on a grain that lived on the killed silo.
            builder.UseOrleansClient(c => c.UseLocalhostClustering(clusterPort, serviceId: clusterId, clusterId: clusterId)
                .Configure<Orleans.Configuration.ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(2)));
            var host = builder.Build();
            try
            {
                await host.StartAsync();
                return host;
            }
            catch when (attempt < 60)
            {
                host.Dispose();
                await Task.Delay(1000);
            }
        }
    }

    private static async Task WaitHealthyAsync(int http)
    {
        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
        for (var i = 0; i < 120; i++)
        {
            try
            {
                if ((await probe.GetAsync("/healthz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(500);
        }
        throw new TimeoutException("the gateway never became healthy");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "RadMah.Orleans.sln"))) return directory.FullName;
        throw new InvalidOperationException("no repository above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs deploy/SCRIPT of the repository this program was built from.</summary>
    private static async Task<string> ShellAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(root, "deploy", script));
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{script} failed: {await errors}");
        return await output;
    }
}
