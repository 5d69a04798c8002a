using System.Text.Json.Nodes;
using RadMah.Artifacts;
using RadMah.Engine.Evidence;
using RadMah.Engine.Jobs;
using RadMah.Grains.Artifacts;
using RadMah.Grains.Evidence;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Jobs;

/// <summary>A job's evidence bundle: its provenance statement signed, and stored as the job's evidence artifact.</summary>
public sealed class JobEvidence(EvidenceSigner signer, IArtifactStore artifactStore)
{
    private const string MediaType = "application/json";

    /// <summary>The statement over the job's outputs, signed: once per attempt's success (an ECDSA signature differs each time it is made).</summary>
    public async Task<byte[]> SignAsync(JobDefinition definition, IReadOnlyList<StagedOutput> outputs, string? worker, DateTime startedOn, DateTime finishedOn)
    {
        var statement = ProvenanceStatement.Build(new ProvenanceFacts
        {
            JobId = definition.JobId,
            Kind = definition.Kind,
            ContractDigest = definition.ContractDigest,
            Seed = definition.Seed,
            Rows = definition.Rows,
            Parameters = new Dictionary<string, string> { ["description"] = definition.Description },
            Subjects = [.. outputs.Select(o => new EvidenceSubject(o.Name, o.ContentHash))],
            Inputs = [.. definition.Inputs.Select(i => new EvidenceSubject(i.Name, i.ContentHash))],
            ClusterId = signer.ClusterId,
            Silo = worker ?? "unknown",
            StartedOn = startedOn,
            FinishedOn = finishedOn,
            WorkRecord = ReadWorkRecord(outputs),
        });
        return Dsse.Sign(Dsse.InTotoPayloadType, statement, await signer.KeyAsync());
    }

    /// <summary>The work's record of how it made its outputs, read back from the store, or null when it wrote none.</summary>
    private JsonObject? ReadWorkRecord(IReadOnlyList<StagedOutput> outputs)
    {
        if (outputs.FirstOrDefault(o => o.Name == ArtifactNames.WorkRecord) is not { } record) return null;
        using var stream = artifactStore.OpenRead(record.ContentHash);
        return JsonNode.Parse(stream) as JsonObject ?? throw new InvalidDataException($"{ArtifactNames.WorkRecord} of the job is not a JSON object.");
    }

    /// <summary>
    /// Stores a bundle signed earlier (kept in the job's state until now, so a resumed commit stores
    /// the same bytes); its record, returned, is registered with the job's other artifacts. Idempotent.
    /// </summary>
    public async Task<ArtifactRecord> StoreAsync(JobDefinition definition, byte[] bundle, DateTime now)
    {
        StagedArtifact staged;
        await using (var stream = artifactStore.OpenStaging(definition.JobId, ArtifactNames.Evidence))
        {
            await stream.WriteAsync(bundle);
            staged = await stream.CompleteAsync(MediaType);
        }
        await artifactStore.PromoteAsync(staged);
        return ArtifactRecord.OfJob(definition.JobId, definition.AccountId, staged.ToOutput(), now);
    }
}
