using System.CommandLine;
using System.Globalization;
using RadMah.Sdk;
using Spectre.Console;

namespace RadMah.Cli.Remote;

/// <summary>`radmah jobs create|get|list|cancel|rerun`, through the SDK against a gateway.</summary>
public static class JobsCommands
{
    public static Command Create()
    {
        var jobs = new Command("jobs", "Create, inspect, cancel and rerun jobs on a gateway.");
        jobs.Subcommands.Add(CreateJob());
        jobs.Subcommands.Add(GetJob());
        jobs.Subcommands.Add(ListJobs());
        jobs.Subcommands.Add(CancelJob());
        jobs.Subcommands.Add(RerunJob());
        return jobs;
    }

    private static Option<bool> WaitOption() => new("--wait") { Description = "Wait until the job is succeeded, failed or canceled" };
    private static Option<int> TimeoutOption() => new("--timeout") { Description = "Seconds --wait may take (0: no limit)", DefaultValueFactory = _ => 0 };
    private static Option<string?> DownloadOption() => new("--download") { Description = "After --wait, write the job's main result here (the first artifact listed: mock's CSV, analyze's HTML report, …)" };
    private static Option<string?> DownloadAllOption() => new("--download-all")
    {
        Description = "Write every artifact, the evidence bundle, the seal proof, the checkpoint and the public keys into this directory (for `radmah verify`)",
    };
    private static Argument<string> JobIdArgument() => new("job-id") { Description = "The job's id (job_…)" };

    private static Command CreateJob()
    {
        var rows = new Option<long?>("--rows") { Description = "Rows to generate, for kinds that generate them" };
        var description = new Option<string?>("--description") { Description = "What the rows are, for kinds that take a description" };
        var dataset = new Option<string?>("--dataset") { Description = "An uploaded dataset (ds_…), for kinds that read one" };
        var parameters = new Option<string[]>("--param")
        {
            Description = "KEY=VALUE, the kind's own params (repeatable); KEY=@FILE sends a file's text (a JSON file compacted to one line): verify job_id=… or artifact_ids=ID,ID; mock contract_job_id=ANALYZE_JOB; analyze delimiter=… header=true|false; train model=gaussian_copula holdout=0.2; synthesize model_job_id=TRAIN_JOB; simulate duration=1d or scenario=@scenario.json",
            AllowMultipleArgumentsPerToken = false,
        };
        var kind = new Option<string?>("--kind") { Description = "Job kind (mock when not given)" };
        var seed = new Option<long?>("--seed") { Description = "Seed (default 42)" };
        var interactive = new Option<bool>("--interactive") { Description = "Ask for the low-latency tier (small jobs of kinds that allow it)" };
        var idempotencyKey = new Option<string?>("--idempotency-key")
        {
            Description = "Makes the create safe to repeat: the same key and request within 24 h return the job already created (default: a fresh key, reused by this command's own retries)",
        };
        var wait = WaitOption();
        var timeout = TimeoutOption();
        var download = DownloadOption();
        var downloadAll = DownloadAllOption();
        var command = new Command("create", "Submit a job; the server says which fields and params its kind takes.")
        {
            rows, description, kind, dataset, seed, interactive, parameters, idempotencyKey, wait, timeout, download, downloadAll,
        };
        command.Validators.Add(result =>
        {
            foreach (var p in result.GetValue(parameters) ?? [])
                if (p.IndexOf('=') <= 0) result.AddError($"--param '{p}' is not KEY=VALUE.");
        });
        command.SetRemoteAction(async (parse, client, json, ct) =>
        {
            var given = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in (parse.GetValue(parameters) ?? []).Select(p => p.Split('=', 2)))
                if (!given.TryAdd(p[0], ParamValue(p[0], p[1]))) throw new CliException(ExitCodes.InvalidInput, $"--param {p[0]} is given twice.");
            var job = await client.Jobs.CreateAsync(new JobRequest
            {
                Kind = parse.GetValue(kind),
                Rows = parse.GetValue(rows),
                Description = parse.GetValue(description),
                Seed = parse.GetValue(seed),
                Interactive = parse.GetValue(interactive),
                Params = given,
                DatasetId = parse.GetValue(dataset),
                IdempotencyKey = parse.GetValue(idempotencyKey),
            }, ct);
            if (!json)
            {
                AnsiConsole.MarkupLineInterpolated($"Created [bold]{job.Id}[/] ({job.Status})");
                foreach (var warning in job.Warnings) AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
            }
            return await FinishAsync(client, job, parse.GetValue(wait), parse.GetValue(timeout), parse.GetValue(download), parse.GetValue(downloadAll), json, ct);
        });
        return command;
    }

    /// <summary>KEY=@FILE: the file's text, a JSON file as one line (params are single-line text).</summary>
    private static string ParamValue(string key, string value)
    {
        if (!value.StartsWith('@')) return value;
        var path = value[1..];
        if (!File.Exists(path)) throw new CliException(ExitCodes.InvalidInput, $"--param {key}=@{path}: no such file.");
        var text = File.ReadAllText(path);
        try
        {
            return JobParams.Json(text);
        }
        catch (ArgumentException)
        {
            return text.TrimEnd('\r', '\n');
        }
    }

    private static Command GetJob()
    {
        var id = JobIdArgument();
        var downloadAll = DownloadAllOption();
        var command = new Command("get", "Show a job.") { id, downloadAll };
        command.SetRemoteAction(async (parse, client, json, ct) =>
        {
            var job = await client.Jobs.GetAsync(parse.GetValue(id)!, ct);
            if (parse.GetValue(downloadAll) is { } directory) await DownloadAllAsync(client, job, directory, json, ct);
            Show(job, json);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListJobs()
    {
        var limit = new Option<int>("--limit") { Description = "How many (1 to 100)", DefaultValueFactory = _ => 10 };
        var command = new Command("list", "List recent jobs, newest first.") { limit };
        command.SetRemoteAction(async (parse, client, json, ct) =>
        {
            var jobs = await client.Jobs.ListAsync(parse.GetValue(limit), ct);
            if (json)
            {
                RemoteCommand.PrintJson(new { jobs = jobs.Select(RemoteCommand.ToJson) });
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("id", "kind", "status", "rows", "credits", "created_at");
            foreach (var j in jobs)
                table.AddRow(j.Id, j.Kind, j.Status, j.Rows.ToString("N0", CultureInfo.InvariantCulture), j.CreditsCharged.ToString("0.######", CultureInfo.InvariantCulture), j.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CancelJob()
    {
        var id = JobIdArgument();
        var command = new Command("cancel", "Cancel a created, queued or running job.") { id };
        command.SetRemoteAction(async (parse, client, json, ct) =>
        {
            Show(await client.Jobs.CancelAsync(parse.GetValue(id)!, ct), json);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RerunJob()
    {
        var id = JobIdArgument();
        var wait = WaitOption();
        var timeout = TimeoutOption();
        var download = DownloadOption();
        var downloadAll = DownloadAllOption();
        var command = new Command("rerun", "Run a job again: same sealed contract and seed, identical output.") { id, wait, timeout, download, downloadAll };
        command.SetRemoteAction(async (parse, client, json, ct) =>
        {
            var job = await client.Jobs.RerunAsync(parse.GetValue(id)!, ct);
            if (!json) AnsiConsole.MarkupLineInterpolated($"Created [bold]{job.Id}[/] ({job.Status}), a rerun of {job.RerunOf}");
            return await FinishAsync(client, job, parse.GetValue(wait), parse.GetValue(timeout), parse.GetValue(download), parse.GetValue(downloadAll), json, ct);
        });
        return command;
    }

    private static async Task<int> FinishAsync(RadMahClient client, Job job, bool wait, int timeoutSeconds, string? download, string? downloadAll, bool json, CancellationToken ct)
    {
        if (download is not null && !wait) throw new CliException(ExitCodes.InvalidInput, "--download needs --wait.");
        if (downloadAll is not null && !wait) throw new CliException(ExitCodes.InvalidInput, "--download-all needs --wait.");
        if (wait)
        {
            var timeout = timeoutSeconds > 0 ? TimeSpan.FromSeconds(timeoutSeconds) : (TimeSpan?)null;
            if (json) await job.WaitAsync(timeout, TimeSpan.FromMilliseconds(500), ct, stream: true);
            else await WaitWithProgressAsync(job, timeout, ct);
        }
        if (job.Status == "succeeded" && download is not null)
        {
            await job.DownloadAsync(download, ct);
            if (!json) AnsiConsole.MarkupLineInterpolated($"Wrote [bold]{Path.GetFullPath(download)}[/]");
        }
        if (job.Status == "succeeded" && downloadAll is not null) await DownloadAllAsync(client, job, downloadAll, json, ct);
        Show(job, json);
        if (!json && job.Status == "succeeded")
        {
            var table = new Table().AddColumns("artifact_id", "artifact_type", "content_hash", "size_bytes");
            foreach (var a in await client.Artifacts.ListAsync(job.Id, ct))
                table.AddRow(a.Id, a.ArtifactType, a.ContentHash, a.SizeBytes.ToString("N0", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
        }
        return !wait || job.Status == "succeeded" ? ExitCodes.Ok : ExitCodes.JobDidNotSucceed;
    }

    /// <summary>Everything `radmah verify` needs, in one directory: artifacts by name, the seal proof, its checkpoint and the public keys.</summary>
    private static async Task DownloadAllAsync(RadMahClient client, Job job, string directory, bool json, CancellationToken ct)
    {
        if (job.Status != "succeeded")
            throw new CliException(ExitCodes.JobDidNotSucceed, $"job {job.Id} is {job.Status}: only succeeded jobs have artifacts and evidence to download.");
        Directory.CreateDirectory(directory);
        foreach (var artifact in await client.Artifacts.ListAsync(job.Id, ct))
        {
            if (Path.GetFileName(artifact.Name) != artifact.Name || artifact.Name is "." or "..")
                throw new CliException(ExitCodes.InvalidInput, $"artifact name '{artifact.Name}' is not a plain file name; nothing more was written.");
            await client.Artifacts.DownloadAsync(artifact.Id, Path.Combine(directory, artifact.Name), ct);
        }
        var proof = await client.Seals.GetProofJsonAsync(job.Id, ct);
        await File.WriteAllTextAsync(Path.Combine(directory, VerifyCommand.ProofFile), proof, ct);
        var checkpoint = System.Text.Json.Nodes.JsonNode.Parse(proof)?["checkpoint"]?.GetValue<string>()
            ?? throw new CliException(ExitCodes.Unavailable, "the gateway's seal proof carries no checkpoint.");
        await File.WriteAllTextAsync(Path.Combine(directory, VerifyCommand.CheckpointFile), checkpoint, ct);
        var keys = await client.Seals.ListKeysAsync(ct);
        await File.WriteAllTextAsync(Path.Combine(directory, VerifyCommand.KeysFile), string.Join("", keys.Select(k => k.PublicKeyPem.TrimEnd() + "\n")), ct);
        if (!json)
            AnsiConsole.MarkupLineInterpolated($"Wrote the artifacts, {VerifyCommand.ProofFile}, {VerifyCommand.CheckpointFile} and {VerifyCommand.KeysFile} to [bold]{Path.GetFullPath(directory)}[/]; check them offline: radmah verify {Path.Combine(directory, "evidence.dsse.json")}");
    }

    /// <summary>Follows the job's event stream (polling where there is none), drawing its progress.</summary>
    private static async Task WaitWithProgressAsync(Job job, TimeSpan? timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout is { } limit) deadline.CancelAfter(limit);
        try
        {
            await AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(job.Status, maxValue: Math.Max(1, job.Rows));
                    await foreach (var seen in job.WatchAsync(TimeSpan.FromMilliseconds(500), deadline.Token))
                    {
                        if (seen.Training is { } training && seen.Status == "running")
                        {
                            // A training's bar counts epochs, and says the last losses.
                            task.MaxValue = Math.Max(1, training.Epochs);
                            task.Value = training.Epoch;
                            var losses = string.Join(", ", (training.Losses ?? new Dictionary<string, double>()).OrderBy(l => l.Key, StringComparer.Ordinal)
                                .Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Key} {l.Value:0.###}")));
                            task.Description = Markup.Escape($"epoch {training.Epoch}/{training.Epochs}{(losses.Length > 0 ? " · " + losses : "")}");
                            continue;
                        }
                        task.Description = seen.Status;
                        if (seen.Rows > 0) task.MaxValue = seen.Rows;
                        task.Value = seen.Status == "succeeded" ? task.MaxValue : seen.RowsDone;
                    }
                    task.StopTask();
                });
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"job {job.Id} is still {job.Status} after {timeout!.Value.TotalSeconds:0} s.");
        }
    }

    public static void Show(Job job, bool json)
    {
        if (json)
        {
            RemoteCommand.PrintJson(RemoteCommand.ToJson(job));
            return;
        }
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Job ID", job.Id);
        grid.AddRow("Status", job.Status);
        grid.AddRow("Kind", job.Kind);
        grid.AddRow("Rows", job.Rows.ToString("N0", CultureInfo.InvariantCulture));
        grid.AddRow("Seed", job.Seed.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("Credits charged", job.CreditsCharged.ToString("0.######", CultureInfo.InvariantCulture));
        grid.AddRow("Contract digest", job.ContractDigest);
        if (job.Error is not null) grid.AddRow("Error", Markup.Escape(job.Error));
        AnsiConsole.Write(grid);
    }
}
