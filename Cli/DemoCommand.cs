using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RadMah.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Mock.Description;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Silo;
using Spectre.Console;

namespace RadMah.Cli;

/// <summary>
/// `radmah demo`: the platform's main job end to end in one process. Starts an embedded single-node
/// cluster, submits a mock job as an in-cluster client, follows it to the end and writes the CSV.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var rows = new Option<long>("--rows") { Description = "Rows to generate (1 to 1,000,000,000)", DefaultValueFactory = _ => 100_000 };
        var description = new Option<string>("--description") { Description = "What the rows are", DefaultValueFactory = _ => "customer transaction records" };
        var seed = new Option<long>("--seed") { Description = "Seed: same contract and seed, same bytes", DefaultValueFactory = _ => 42 };
        var output = new Option<string>("--out") { Description = "Where to write the CSV", DefaultValueFactory = _ => "output.csv" };
        var data = new Option<string>("--data") { Description = "Data directory of the embedded node", DefaultValueFactory = _ => "data" };
        var command = new Command("demo", "Run a mock job on an embedded single-node cluster and write its CSV.")
        {
            rows, description, seed, output, data,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(rows), parse.GetValue(description)!, parse.GetValue(seed), parse.GetValue(output)!, parse.GetValue(data)!, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(long rows, string description, long seed, string output, string data, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        try
        {
            // Refuse bad input before paying for a cluster start; the account grain checks again.
            DescriptionCompiler.Compile(description, rows, seed);
        }
        catch (ContractException ex)
        {
            console.MarkupLineInterpolated($"[red]Refused:[/] {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        console.MarkupLine("[grey]Starting an embedded single-node cluster…[/]");
        using var host = await NodeHost.StartAsync(new NodeOptions
        {
            DataDirectory = data,
            WithWeb = false,
            SiloPort = FreePorts.Next(),
            GatewayPort = FreePorts.Next(),
            MinimumLogLevel = LogLevel.Warning,
        }, cancellationToken);
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var account = grains.GetGrain<IAccountJobsGrain>(DevelopmentAccount.Id);
            JobView job;
            try
            {
                job = await account.CreateJobAsync(new JobSubmission(JobKinds.Default, rows, description, seed));
            }
            catch (RadMahException ex)
            {
                console.MarkupLineInterpolated($"[red]Refused:[/] {ex.Message}");
                return ExitCodes.InvalidInput;
            }
            console.MarkupLineInterpolated($"Submitted [bold]{job.Id}[/]: {job.Rows:N0} rows of \"{job.Description}\", seed {job.Seed}");
            foreach (var warning in job.Warnings) console.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");

            job = await FollowAsync(grains.GetGrain<IJobGrain>(job.Id), job, console, cancellationToken);
            var artifacts = await grains.GetGrain<IJobGrain>(job.Id).GetArtifactsAsync();
            PrintSummary(console, job, artifacts);
            if (job.Status != JobStatus.Succeeded) return ExitCodes.JobDidNotSucceed;

            var csv = artifacts.Single(a => a.ArtifactType == ArtifactNames.DatasetCsv);
            var store = host.Services.GetRequiredService<IArtifactStore>();
            var target = Path.GetFullPath(output);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await using (var source = store.OpenRead(csv.ContentHash))
            await using (var file = File.Create(target))
                await source.CopyToAsync(file, cancellationToken);
            console.MarkupLineInterpolated($"Wrote {csv.SizeBytes:N0} bytes to [bold]{target}[/] ({csv.ContentHash})");
            return ExitCodes.Ok;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Long-polls the job, printing each state change and showing generation progress.</summary>
    private static async Task<JobView> FollowAsync(IJobGrain grain, JobView job, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var printed = 0;
        void PrintTransitions(JobView view)
        {
            for (; printed < view.History.Count; printed++)
            {
                var t = view.History[printed];
                console.MarkupLineInterpolated($"  {t.AtUtc:HH:mm:ss.fff}  [bold]{t.Status.ToWire()}[/]");
            }
        }
        PrintTransitions(job);
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("generating", maxValue: job.Rows);
                while (!job.Status.IsTerminal())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    job = await grain.WaitForChangeAsync(job.Version, TimeSpan.FromSeconds(10));
                    task.Value = job.RowsDone;
                    PrintTransitions(job);
                }
                if (job.Status == JobStatus.Succeeded) task.Value = job.Rows;
                task.StopTask();
            });
        return job;
    }

    private static void PrintSummary(IAnsiConsole console, JobView job, IReadOnlyList<Grains.Interfaces.Artifacts.ArtifactRecord> artifacts)
    {
        var summary = new Grid().AddColumn().AddColumn();
        summary.AddRow("Job ID", job.Id);
        summary.AddRow("Status", job.Status.ToWire());
        summary.AddRow("Credits charged", job.CreditsCharged.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture));
        summary.AddRow("Contract digest", job.ContractDigest);
        if (job.Error is not null) summary.AddRow("Error", Markup.Escape(job.Error));
        console.Write(summary);
        if (artifacts.Count == 0) return;
        var table = new Table().AddColumns("artifact_type", "content_hash", "size_bytes");
        foreach (var a in artifacts) table.AddRow(a.ArtifactType, a.ContentHash, a.SizeBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        console.Write(table);
    }
}
