using System.CommandLine;
using System.Globalization;
using RadMah.Sdk;
using Spectre.Console;

namespace RadMah.Cli.Remote;

/// <summary>`radmah datasets upload|list|get`: the files analyze, fit and lift jobs read.</summary>
public static class DatasetsCommands
{
    public static Command Create()
    {
        var datasets = new Command("datasets", "Upload data and list the account's datasets.");

        var file = new Argument<string>("file") { Description = "A CSV, TSV, Parquet, Arrow IPC or JSON Lines file" };
        var name = new Option<string?>("--name") { Description = "The dataset's name (default: the file's name)" };
        var format = new Option<string?>("--format") { Description = "csv, tsv, parquet, arrow, jsonl, json (an array of objects) or arff (Weka); default: detected from the content" };
        var upload = new Command("upload", "Upload a file, streamed; prints the dataset id for --dataset.") { file, name, format };
        upload.Validators.Add(result =>
        {
            if (result.GetValue(file) is { } path && !File.Exists(path)) result.AddError($"no file '{path}'.");
        });
        upload.SetRemoteAction(async (parse, client, json, ct) =>
        {
            var path = parse.GetValue(file)!;
            Dataset dataset;
            if (json) dataset = await client.Datasets.UploadAsync(path, parse.GetValue(name), parse.GetValue(format), ct);
            else
            {
                dataset = await AnsiConsole.Status().StartAsync($"Uploading {Path.GetFileName(path)} ({new FileInfo(path).Length:N0} bytes)…",
                    _ => client.Datasets.UploadAsync(path, parse.GetValue(name), parse.GetValue(format), ct));
            }
            Show(dataset, json);
            return ExitCodes.Ok;
        });
        datasets.Subcommands.Add(upload);

        var list = new Command("list", "List the account's datasets, newest first.");
        list.SetRemoteAction(async (parse, client, json, ct) =>
        {
            var items = await client.Datasets.ListAsync(ct);
            if (json)
            {
                RemoteCommand.PrintJson(new { datasets = items.Select(ToJson) });
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("id", "name", "format", "size_bytes", "content_hash", "created_at");
            foreach (var d in items)
                table.AddRow(d.Id, Markup.Escape(d.Name), d.Format, d.SizeBytes.ToString("N0", CultureInfo.InvariantCulture), d.ContentHash, d.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });
        datasets.Subcommands.Add(list);

        var id = new Argument<string>("dataset-id") { Description = "The dataset's id (ds_…)" };
        var get = new Command("get", "Show a dataset.") { id };
        get.SetRemoteAction(async (parse, client, json, ct) =>
        {
            Show(await client.Datasets.GetAsync(parse.GetValue(id)!, ct), json);
            return ExitCodes.Ok;
        });
        datasets.Subcommands.Add(get);
        return datasets;
    }

    private static object ToJson(Dataset d) => new
    {
        id = d.Id, name = d.Name, format = d.Format, content_hash = d.ContentHash, size_bytes = d.SizeBytes, artifact_id = d.ArtifactId, created_at = d.CreatedAt,
    };

    private static void Show(Dataset d, bool json)
    {
        if (json)
        {
            RemoteCommand.PrintJson(ToJson(d));
            return;
        }
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("id", d.Id);
        grid.AddRow("name", Markup.Escape(d.Name));
        grid.AddRow("format", d.Format);
        grid.AddRow("size_bytes", d.SizeBytes.ToString("N0", CultureInfo.InvariantCulture));
        grid.AddRow("content_hash", d.ContentHash);
        grid.AddRow("artifact_id", d.ArtifactId);
        AnsiConsole.Write(grid);
        AnsiConsole.MarkupLineInterpolated($"Analyze it: [bold]radmah jobs create --kind analyze --dataset {d.Id} --wait --download report.html[/]");
    }
}
