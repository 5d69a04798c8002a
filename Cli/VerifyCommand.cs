using System.CommandLine;
using System.Text.Json;
using RadMah.Engine.Evidence;
using RadMah.Engine.Transparency;
using Spectre.Console;

namespace RadMah.Cli;

/// <summary>
/// `radmah verify BUNDLE [--artifacts DIR] [--key PUBKEY.pem] [--proof PROOF.json] [--checkpoint FILE]`:
/// checks a job's evidence with no server, from files only. Files that `--download-all` writes
/// next to the bundle (keys.pem, seal-proof.json, the artifacts) are used when a flag is not given.
/// </summary>
public static class VerifyCommand
{
    public const string KeysFile = "keys.pem";
    public const string ProofFile = "seal-proof.json";
    public const string CheckpointFile = "checkpoint.txt";

    public static Command Create()
    {
        var bundle = new Argument<FileInfo>("bundle") { Description = "The evidence bundle (evidence.dsse.json)" };
        var artifacts = new Option<DirectoryInfo?>("--artifacts") { Description = "Directory holding the artifacts by name (default: the bundle's directory)" };
        var key = new Option<FileInfo[]>("--key") { Description = $"PEM public key(s) (default: {KeysFile} beside the bundle)", AllowMultipleArgumentsPerToken = true };
        var proof = new Option<FileInfo?>("--proof") { Description = $"The seal proof JSON from GET /v1/seals/JOB_ID (default: {ProofFile} beside the bundle, if present)" };
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "A signed checkpoint to check the proof against (default: the one in the proof)" };
        var command = new Command("verify", "Verify a job's evidence bundle offline: signature, artifact digests, seal and its inclusion in the log.")
        {
            bundle, artifacts, key, proof, checkpoint,
        };
        command.SetAction(parse =>
        {
            try
            {
                var report = Run(parse.GetValue(bundle)!, parse.GetValue(artifacts), parse.GetValue(key) ?? [], parse.GetValue(proof), parse.GetValue(checkpoint));
                Print(report, parse.GetValue(Remote.RemoteSettings.JsonOption));
                return report.Passed ? ExitCodes.Ok : ExitCodes.VerificationFailed;
            }
            catch (CliException ex)
            {
                Console.Error.WriteLine($"radmah verify: {ex.Message}");
                return ex.ExitCode;
            }
        });
        return command;
    }

    public static VerificationReport Run(FileInfo bundle, DirectoryInfo? artifacts, IReadOnlyList<FileInfo> keyFiles, FileInfo? proofFile, FileInfo? checkpointFile)
    {
        if (!bundle.Exists) throw new CliException(ExitCodes.InvalidInput, $"no bundle at {bundle.FullName}.");
        var beside = bundle.Directory!;
        var keys = new List<VerificationKey>();
        var keySources = keyFiles.Count > 0 ? keyFiles : [new FileInfo(Path.Combine(beside.FullName, KeysFile))];
        foreach (var file in keySources)
        {
            if (!file.Exists) throw new CliException(ExitCodes.InvalidInput, $"no public key at {file.FullName}: pass --key PUBKEY.pem (GET /v1/keys serves them).");
            try
            {
                keys.AddRange(VerificationKey.ReadAll(File.ReadAllText(file.FullName)));
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException)
            {
                throw new CliException(ExitCodes.InvalidInput, $"{file.FullName}: {ex.Message}");
            }
        }
        proofFile ??= new FileInfo(Path.Combine(beside.FullName, ProofFile)) is { Exists: true } found ? found : null;
        SealProof? proof = null;
        if (proofFile is not null)
        {
            if (!proofFile.Exists) throw new CliException(ExitCodes.InvalidInput, $"no proof at {proofFile.FullName}.");
            try
            {
                proof = SealProof.Parse(File.ReadAllBytes(proofFile.FullName));
            }
            catch (InvalidDataException ex)
            {
                throw new CliException(ExitCodes.InvalidInput, $"{proofFile.FullName}: {ex.Message}");
            }
        }
        if (checkpointFile is { Exists: false }) throw new CliException(ExitCodes.InvalidInput, $"no checkpoint at {checkpointFile.FullName}.");
        if (checkpointFile is not null && proof is null) throw new CliException(ExitCodes.InvalidInput, "--checkpoint needs a seal proof (--proof) to check against it.");
        var directory = (artifacts ?? beside).FullName;
        if (!Directory.Exists(directory)) throw new CliException(ExitCodes.InvalidInput, $"no artifacts directory {directory}.");
        return EvidenceVerifier.Verify(new EvidenceInputs
        {
            Bundle = File.ReadAllBytes(bundle.FullName),
            Keys = keys,
            // Artifacts are named as in the statement; a name that climbs out of the directory is not looked up.
            OpenArtifact = name =>
            {
                var path = Path.GetFullPath(Path.Combine(directory, name));
                return path.StartsWith(Path.GetFullPath(directory) + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(path) ? File.OpenRead(path) : null;
            },
            Proof = proof,
            Checkpoint = checkpointFile is null ? null : File.ReadAllText(checkpointFile.FullName),
        });
    }

    private static void Print(VerificationReport report, bool json)
    {
        if (json)
        {
            Console.WriteLine(report.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return;
        }
        var table = new Table().AddColumns("check", "result", "detail");
        foreach (var check in report.Checks)
            table.AddRow(Markup.Escape(check.Name), check.Passed ? "[green]ok[/]" : "[red]FAILED[/]", Markup.Escape(check.Detail));
        AnsiConsole.Write(table);
        if (report.Passed) AnsiConsole.MarkupLine("[green]Verified.[/]");
        else Console.Error.WriteLine($"radmah verify: FAILED: {string.Join("; ", report.Failures.Select(f => $"{f.Name}: {f.Detail}"))}");
    }
}
