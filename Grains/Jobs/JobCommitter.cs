using RadMah.Artifacts;
using RadMah.Engine.Jobs;
using RadMah.Grains.Artifacts;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Seals;

namespace RadMah.Grains.Jobs;

/// <summary>
/// The steps of a job's success commit, in order: outputs and the signed evidence bundle stored →
/// seal appended → hold captured. Each step is idempotent and marks itself done in the job's state,
/// so a commit resumed after a crash repeats only what the saved state does not show done. The
/// job grain saves the state once, with the success.
/// </summary>
public sealed class JobCommitter(IArtifactStore artifactStore, ArtifactCatalog catalog, JobEvidence evidence, IGrainFactory grains)
{
    /// <summary>Runs the steps not yet done; true when this call captured the hold.</summary>
    public async Task<bool> RunAsync(JobState s)
    {
        var definition = s.Definition!;
        if (!s.OutputsStored)
        {
            var now = DateTime.UtcNow;
            await artifactStore.PromoteAsync([.. s.StagedOutputs.Select(o => o.ToStaged())]);
            var records = s.StagedOutputs.Select(output => ArtifactRecord.OfJob(definition.JobId, definition.AccountId, output, now)).ToList();
            records.Add(await evidence.StoreAsync(definition, s.Evidence ?? throw new InvalidOperationException($"job {definition.JobId} commits without its signed evidence."), now));
            // One write for all of them (where the records can): registered before a crash, they are checked rather than added again.
            await catalog.RegisterAllAsync(records);
            s.Artifacts = records;
            // Saved with the success, not on its own: a commit resumed before then stores and
            // registers the same content-addressed outputs again, which changes nothing.
            s.OutputsStored = true;
            if (s.StagedOutputs.Count > 0) await artifactStore.DiscardStagingAsync(s.StagedOutputs[0].StagingKey);
        }
        // The seal registry and the ledger answer a repeated call for a job with what they did the
        // first time, so a resumed commit may call them again.
        if (!s.Sealed)
        {
            await grains.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).AppendAsync(new SealRecord
            {
                JobId = definition.JobId,
                Kind = definition.Kind,
                ContractDigest = definition.ContractDigest,
                Seed = definition.Seed,
                Artifacts = s.Artifacts.Where(a => a.ArtifactType != ArtifactNames.Evidence).Select(a => new SealedArtifact(a.Name, a.ArtifactType, a.ContentHash)).ToArray(),
                EvidenceDigest = s.Artifacts.Single(a => a.ArtifactType == ArtifactNames.Evidence).ContentHash,
                SealedAt = DateTime.UtcNow,
            });
            s.Sealed = true;
        }
        if (s.Captured) return false;
        s.CreditsCharged = await grains.GetGrain<ICreditLedgerGrain>(definition.AccountId).CaptureAsync(definition.JobId);
        s.Captured = true;
        return true;
    }
}
