using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;

namespace RadMah.LoadGen;

/// <summary>
/// `LoadGen lifecycle [CLIENTS] [JOBS] [ROUNDS]`: lifecycle throughput as Celery's reference measures it
/// (bench/Celery). `radmah serve` runs in its own process on its default storage (RADMAH_NODE_ARGS
/// for another); each of CLIENTS REST clients (its own account, key and one keep-alive HTTP/1.1
/// connection) submits JOBS one-row mock jobs back to back, then waits for all of them, one after
/// another, by following each job's event stream (GET /v1/jobs/{id}:watch, as the SDKs' streaming wait
/// does, and as Celery's result get() waits on Redis's publish/subscribe; RADMAH_WAIT=poll GETs each
/// job every 5 ms instead). Rate = all jobs / the time until the last client has seen its last job
/// succeed. Every job must succeed: it was signed, sealed and captured, or the run fails. A warm-up
/// round of the same shape comes first, then ROUNDS measured rounds on the same node.
/// </summary>
public static class Lifecycle
{
    private const string CreateBody = "{\"rows\": 1, \"description\": \"orders\"}";

    /// <summary>RADMAH_WAIT=poll: wait by GETting each job every 5 ms (the way before 2026-12-07) instead of following its event stream.</summary>
    private static bool Polling => Environment.GetEnvironmentVariable("RADMAH_WAIT") == "poll";

    public static async Task<int> RunAsync(string[] args)
    {
        var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        var jobs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3000;
        var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
        if (clients < 1 || jobs < 1 || rounds < 1) throw new ArgumentException("usage: LoadGen lifecycle [CLIENTS ≥ 1] [JOBS ≥ 1] [ROUNDS ≥ 1]");
        await using var node = await NodeProcess.StartAsync("lifecycle");
        // For a profiler to attach to (bench/profile/profile-node.sh).
        Console.WriteLine($"node: pid {node.Process.Id}");
        using var users = await CreateUsersAsync(node, clients);
        var warm = await RoundAsync(node, users.Clients, jobs);
        Console.WriteLine($"warm-up: {warm}");
        var results = new List<Round>();
        for (var r = 0; r < rounds; r++)
        {
            var round = await RoundAsync(node, users.Clients, jobs);
            results.Add(round);
            Console.WriteLine($"round {r + 1}: {round}");
        }
        var storage = Environment.GetEnvironmentVariable("RADMAH_NODE_ARGS") is { Length: > 0 } extra ? extra : "serve's default storage";
        Console.WriteLine($"lifecycle: {clients} client(s) × {jobs} one-row mock jobs over REST, waiting by {(Polling ? "polling every 5 ms" : "event stream")}, {storage}, {Environment.ProcessorCount} cores shared: " +
            string.Join(", ", results.Select(r => $"{r.JobsPerSecond:N0}")) + " jobs/s; node resident memory at the end: " + $"{node.ResidentMiB():N0} MiB");
        return 0;
    }

    private sealed record Round(int Jobs, double Seconds, double SubmitSeconds, double NodeCpuMsPerJob)
    {
        public double JobsPerSecond => Jobs / Seconds;

        public override string ToString() =>
            $"{Jobs} jobs in {Seconds:F2} s = {JobsPerSecond:N0} jobs/s (submitting took {SubmitSeconds:F2} s); node CPU {NodeCpuMsPerJob:F2} ms per job";
    }

    private static async Task<Round> RoundAsync(NodeProcess node, IReadOnlyList<HttpClient> users, int jobsPerClient)
    {
        var cpu0 = node.Cpu();
        var clock = Stopwatch.StartNew();
        var submitted = new double[users.Count];
        await Task.WhenAll(users.Select(async (client, i) =>
        {
            var ids = new List<string>(jobsPerClient);
            for (var n = 0; n < jobsPerClient; n++)
            {
                using var response = await client.PostAsync("/v1/jobs", new StringContent(CreateBody, System.Text.Encoding.UTF8, "application/json"));
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /v1/jobs: {(int)response.StatusCode} {body}");
                using var doc = JsonDocument.Parse(body);
                ids.Add(doc.RootElement.GetProperty("id").GetString()!);
            }
            submitted[i] = clock.Elapsed.TotalSeconds;
            foreach (var id in ids)
            {
                if (Polling) await JobPolling.WaitUntilSucceededAsync(client, id, TimeSpan.FromMilliseconds(5));
                else await JobPolling.WaitByWatchAsync(client, id);
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        var jobs = users.Count * jobsPerClient;
        return new Round(jobs, seconds, submitted.Max(), (node.Cpu() - cpu0).TotalMilliseconds / jobs);
    }

    /// <summary>One enterprise account per client (its rate limit is above what one client can send), each with its key and one connection.</summary>
    private static async Task<RestUsers> CreateUsersAsync(NodeProcess node, int count)
    {
        using var admin = await node.ConnectAdminAsync();
        var users = await RestUsers.CreateAsync(admin.Services.GetRequiredService<IClusterClient>(), node.HttpPort, count, TimeSpan.Zero, AccountPlan.Enterprise, 1000m);
        await admin.StopAsync();
        return users;
    }
}
