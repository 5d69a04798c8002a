using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using RadMah.Artifacts;
using RadMah.Engine.Evidence;
using RadMah.Engine.Jobs;
using RadMah.Engine.Kinds;
using RadMah.Engine.Transparency;
using RadMah.Engine.Verify;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Seals;
using RadMah.Grains.Records;
using RadMah.Grains.Seals;

namespace RadMah.Grains.Work;

/// <summary>
/// verify: recomputes every target's digest from the stored bytes and, when a whole job is
/// verified, checks its evidence bundle's DSSE signature against the published keys, the
/// statement's subjects against the artifacts, and the seal's inclusion in the current signed
/// checkpoint. The result is verification-report.json, saying what was checked and what failed;
/// the job succeeds whether or not the evidence holds up, because the report is its product.
/// </summary>
public sealed class VerifyWork(VerifyKind kind, IGrainFactory grains, IPlatformRecords records) : JobWork<VerifyContract>(kind)
{
    protected override async Task<IReadOnlyList<StagedArtifact>> RunAsync(JobDefinition definition, VerifyContract contract, IArtifactStore store, WorkSettings settings,
        CancellationToken cancellationToken)
    {
        var checks = new List<VerificationCheck>();
        var recomputed = new Dictionary<string, string>(StringComparer.Ordinal);
        long bytesChecked = 0;
        foreach (var target in contract.Targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string actual;
            try
            {
                await using var stream = store.OpenRead(target.ContentHash);
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 20];
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer.AsSpan(0, read));
                    bytesChecked += read;
                }
                actual = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
                recomputed[target.Name] = actual;
            }
            catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
            {
                checks.Add(new VerificationCheck($"artifact {target.Name}", false, $"{target.ArtifactId}: {ex.Message}"));
                continue;
            }
            checks.Add(new VerificationCheck($"artifact {target.Name}", actual == target.ContentHash,
                actual == target.ContentHash ? $"{target.ArtifactId}: {actual}" : $"{target.ArtifactId}: the stored bytes hash to {actual}; the catalogue says {target.ContentHash}"));
        }

        if (contract.TargetJobId is { } jobId)
            checks.AddRange(await CheckEvidenceAsync(jobId, contract, store, recomputed, cancellationToken));

        var report = new VerificationReport(checks);
        var json = report.ToJson();
        json["target_job_id"] = contract.TargetJobId;
        json["bytes_checked"] = bytesChecked;
        json["contract_digest"] = definition.ContractDigest;
        return [await StageAsync(store, definition.JobId, VerifyKind.ReportName, "application/json",
            JsonSerializer.SerializeToUtf8Bytes(json, new JsonSerializerOptions { WriteIndented = true }), cancellationToken)];
    }

    /// <summary>The bundle's signature, subjects and seal, checked the way `radmah verify` does it offline.</summary>
    private async Task<IReadOnlyList<VerificationCheck>> CheckEvidenceAsync(string jobId, VerifyContract contract, IArtifactStore store,
        IReadOnlyDictionary<string, string> recomputed, CancellationToken cancellationToken)
    {
        var bundleTarget = contract.Targets.FirstOrDefault(t => t.ArtifactType == ArtifactNames.Evidence);
        if (bundleTarget is null) return [new VerificationCheck("envelope", false, $"job {jobId} has no evidence bundle")];
        byte[] bundle;
        try
        {
            bundle = await store.ReadAllAsync(bundleTarget.ContentHash, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
        {
            return [new VerificationCheck("envelope", false, ex.Message)];
        }
        var keys = (await records.ListSigningKeysAsync(cancellationToken)).Select(k => VerificationKey.FromPem(k.PublicKeyPem)).ToArray();
        SealProof? proof = null;
        var problems = new List<VerificationCheck>();
        try
        {
            proof = (await grains.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).GetProofAsync(jobId)).ToSealProof();
        }
        catch (Interfaces.RadMahException ex) when (ex.Code == Interfaces.RadMahException.NotFound)
        {
            problems.Add(new VerificationCheck("seal entry", false, ex.Message));
        }
        var report = EvidenceVerifier.Verify(new EvidenceInputs
        {
            Bundle = bundle,
            Keys = keys,
            // The bytes were hashed above, once; each subject is matched against those digests.
            RecomputedDigests = recomputed,
            Proof = proof,
        });
        // Each artifact was already reported per target; a subject that does not match it is reported here as a subject.
        return [.. report.Checks.Select(c => c.Name.StartsWith("artifact ", StringComparison.Ordinal) ? c with { Name = "subject " + c.Name["artifact ".Length..] } : c), .. problems];
    }
}
