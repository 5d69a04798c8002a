using System.CommandLine;
using System.Net.Sockets;
using System.Text.Json;
using RadMah.Sdk;
using Spectre.Console;

namespace RadMah.Cli.Remote;

/// <summary>Runs a remote command: resolves settings, maps SDK errors to exit codes and prints them.</summary>
public static class RemoteCommand
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static void SetRemoteAction(this Command command, Func<ParseResult, RadMahClient, bool, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(RemoteSettings.JsonOption);
            try
            {
                using var client = RemoteSettings.Resolve(parse).CreateClient();
                return await action(parse, client, json, cancellationToken);
            }
            catch (Exception ex) when (ExitCodeOf(ex) is { } code)
            {
                if (json) Console.Out.WriteLine(JsonSerializer.Serialize(new { error = new { exit_code = code, message = ex.Message } }, Json));
                else AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
                if (ex is ValidationException validation)
                    foreach (var (field, description) in validation.FieldViolations)
                        Console.Error.WriteLine($"  {field}: {description}");
                return code;
            }
        });

    private static int? ExitCodeOf(Exception ex) => ex switch
    {
        CliException cli => cli.ExitCode,
        AuthenticationException => ExitCodes.AuthenticationFailed,
        NotFoundException => ExitCodes.NotFound,
        ValidationException => ExitCodes.InvalidInput,
        InsufficientCreditsException => ExitCodes.InsufficientCredits,
        RateLimitedException => ExitCodes.RateLimited,
        RadMahApiException { HttpStatus: 502 or 503 or 504 } => ExitCodes.Unavailable,
        RadMahApiException => ExitCodes.InvalidInput,
        TimeoutException => ExitCodes.Timeout,
        HttpRequestException { InnerException: SocketException } or HttpRequestException { StatusCode: null } => ExitCodes.Unavailable,
        InvalidDataException => ExitCodes.Unavailable,
        _ => null,
    };

    public static void PrintJson(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    public static object ToJson(Job job) => new
    {
        id = job.Id, kind = job.Kind, status = job.Status, rows = job.Rows, seed = job.Seed, description = job.Description,
        contract_digest = job.ContractDigest, created_at = job.CreatedAt, queued_at = job.QueuedAt, started_at = job.StartedAt,
        finished_at = job.FinishedAt, credits_charged = job.CreditsCharged, error = job.Error, warnings = job.Warnings,
        rerun_of = job.RerunOf, tier = job.Tier, rows_done = job.RowsDone,
        training = job.Training is { } t ? new { epoch = t.Epoch, epochs = t.Epochs, losses = t.Losses } : null,
    };
}
