using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace RadMah.Cli.Remote;

/// <summary>`radmah artifacts list|download`.</summary>
public static class ArtifactsCommands
{
    public static Command Create()
    {
        var artifacts = new Command("artifacts", "List and download job artifacts.");

        var jobId = new Argument<string>("job-id") { Description = "The job's id (job_…)" };
        var list = new Command("list", "List a job's artifacts.") { jobId };
        list.SetRemoteAction(async (parse, client, json, ct) =>
        {
            var items = await client.Artifacts.ListAsync(parse.GetValue(jobId)!, ct);
            if (json)
            {
                RemoteCommand.PrintJson(new { artifacts = items });
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("id", "artifact_type", "content_hash", "size_bytes", "media_type");
            foreach (var a in items) table.AddRow(a.Id, a.ArtifactType, a.ContentHash, a.SizeBytes.ToString("N0", CultureInfo.InvariantCulture), a.MediaType);
            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });
        artifacts.Subcommands.Add(list);

        var artifactId = new Argument<string>("artifact-id") { Description = "The artifact's id (art_…)" };
        var output = new Option<string>("--out") { Description = "Where to write it", Required = true };
        var download = new Command("download", "Download an artifact; its SHA-256 is checked while writing.") { artifactId, output };
        download.SetRemoteAction(async (parse, client, json, ct) =>
        {
            var path = Path.GetFullPath(parse.GetValue(output)!);
            await client.Artifacts.DownloadAsync(parse.GetValue(artifactId)!, path, ct);
            if (json) RemoteCommand.PrintJson(new { path, size_bytes = new FileInfo(path).Length });
            else AnsiConsole.MarkupLineInterpolated($"Wrote [bold]{path}[/] (digest verified)");
            return ExitCodes.Ok;
        });
        artifacts.Subcommands.Add(download);
        return artifacts;
    }
}
