using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace RadMah.LoadGen;

/// <summary>
/// The same users as <see cref="RestUsers"/> (one account, key and HTTP/1.1 connection each, exponential think
/// time), played by wrk: a C load generator whose own cost per call is far below a .NET client's, so less of
/// the measured latency is the client's own garbage collections and thread hops (wrk/rest-users.lua).
/// </summary>
public sealed partial class WrkUsers(IReadOnlyList<string> keys, TimeSpan think, int httpPort, string workDirectory)
{
    public static string Script => Path.Combine(AppContext.BaseDirectory, "wrk", "rest-users.lua");

    /// <summary>wrk's path, or a clear refusal: the benchmark needs it (Debian: apt-get install wrk).</summary>
    public static string Locate()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "wrk");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("wrk is not installed; on Debian: apt-get install wrk (or run with --client dotnet).");
    }

    /// <summary>One wrk run of <paramref name="mode"/> for <paramref name="duration"/>: its result, and each user's created job ids.</summary>
    public async Task<(WrkResult Result, List<string>[] Created)> RunAsync(string mode, TimeSpan duration, IReadOnlyList<IReadOnlyList<string>>? jobsToRead = null)
    {
        var users = Path.Combine(workDirectory, $"users-{mode}.txt");
        var created = Path.Combine(workDirectory, $"created-{mode}.txt");
        await File.WriteAllLinesAsync(users, keys.Select((key, i) => jobsToRead is null ? key : string.Join(' ', jobsToRead[i].Prepend(key))));
        var start = new ProcessStartInfo(Locate()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-t", $"{keys.Count}", "-c", $"{keys.Count}", "-d", $"{Math.Max(1, (int)Math.Round(duration.TotalSeconds))}s", "--timeout", "10s", "-s", Script, $"http://127.0.0.1:{httpPort}" })
            start.ArgumentList.Add(a);
        start.Environment["RADMAH_WRK_USERS"] = users;
        start.Environment["RADMAH_WRK_MODE"] = mode;
        start.Environment["RADMAH_WRK_THINK_MS"] = think.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);
        start.Environment["RADMAH_WRK_OUT"] = created;
        using var wrk = Process.Start(start)!;
        var stdout = wrk.StandardOutput.ReadToEndAsync();
        var stderr = wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var output = await stdout;
        if (wrk.ExitCode != 0 || ResultLine().Match(output) is not { Success: true } match)
            throw new InvalidOperationException($"wrk {mode} failed (exit {wrk.ExitCode}): {output}{await stderr}");
        var result = new WrkResult(
            long.Parse(match.Groups["requests"].Value, CultureInfo.InvariantCulture),
            long.Parse(match.Groups["failed"].Value, CultureInfo.InvariantCulture) + long.Parse(match.Groups["socket"].Value, CultureInfo.InvariantCulture),
            Number(match, "seconds"), Number(match, "p50"), Number(match, "p95"), Number(match, "p99"), Number(match, "max"));
        var ids = (await File.ReadAllLinesAsync(created)).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList()).ToArray();
        return (result, ids);
    }

    private static double Number(Match match, string group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"RESULT requests=(?<requests>\d+) failed=(?<failed>\d+) socket_errors=(?<socket>\d+) seconds=(?<seconds>[\d.]+) p50=(?<p50>[\d.]+) p95=(?<p95>[\d.]+) p99=(?<p99>[\d.]+) max=(?<max>[\d.]+)")]
    private static partial Regex ResultLine();
}

/// <summary>What one wrk run measured: calls, failures (non-200 answers and socket errors) and latency in milliseconds.</summary>
public sealed record WrkResult(long Requests, long Failed, double Seconds, double P50, double P95, double P99, double Max)
{
    public override string ToString() =>
        $"{Requests} calls, {Requests / Seconds:N0}/s, {Failed} failed: p50 {P50:F1} ms, p95 {P95:F1} ms, p99 {P99:F1} ms, max {Max:F1} ms";
}
