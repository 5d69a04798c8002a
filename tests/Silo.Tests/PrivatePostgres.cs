using System.Diagnostics;

namespace RadMah.Silo.Tests;

/// <summary>
/// A PostgreSQL server of the test's own, made with the same deploy/pg-up.sh users run, so a test
/// can stop and restart it without disturbing the server the other tests share.
/// </summary>
public sealed class PrivatePostgres : IDisposable
{
    private readonly string _data;
    private readonly int _port = FreePorts.Next();

    private PrivatePostgres(string data) => _data = data;

    public string ConnectionString { get; private set; } = "";

    /// <summary>Repository root: deploy/ lives there, and its data/ is reachable by the server's own user.</summary>
    private static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "RadMah.Orleans.sln"))) return dir.FullName;
            throw new InvalidOperationException("the repository root (RadMah.Orleans.sln) was not found above " + AppContext.BaseDirectory);
        }
    }

    public static async Task<PrivatePostgres> StartAsync()
    {
        var server = new PrivatePostgres(Path.Combine(Root, "data", "test-pg-" + Guid.NewGuid().ToString("N")[..8]));
        await server.UpAsync();
        return server;
    }

    public async Task UpAsync() => ConnectionString = (await RunAsync("pg-up.sh")).Trim().Split('\n')[^1];

    public Task DownAsync() => RunAsync("pg-down.sh");

    private async Task<string> RunAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Root, "deploy", script));
        start.Environment["RADMAH_PG_DATA"] = _data;
        start.Environment["RADMAH_PG_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {await errors}");
        return await output;
    }

    public void Dispose()
    {
        DownAsync().GetAwaiter().GetResult();
        try
        {
            Directory.Delete(_data, recursive: true);
            File.Delete(_data + ".log");
        }
        catch (IOException)
        {
            // Left for the next ./test.sh's clean-up of data/: nothing depends on it.
        }
    }
}
