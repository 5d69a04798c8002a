using System.Diagnostics;

namespace RadMah.Cli.Tests;

/// <summary>Runs the real radmah command as a separate process, the way a user does.</summary>
public static class RadmahProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Task<Result> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);

    /// <summary>Runs radmah with a clean environment for its settings: no RADMAH_* variables, a private config folder, plus <paramref name="environment"/>.</summary>
    public static async Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "radmah.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["COLUMNS"] = "200";
        start.Environment.Remove("RADMAH_API_KEY");
        start.Environment.Remove("RADMAH_BASE_URL");
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(workingDirectory, ".config");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"radmah {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return new Result(process.ExitCode, await output, await error);
    }
}
