using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Pricing;
using RadMah.Engine.Verify;

namespace RadMah.Engine.Kinds;

/// <summary>
/// verify: params.job_id (a succeeded job of the account: its artifacts, evidence bundle and seal)
/// or params.artifact_ids (artifacts of the account, separated by commas). The targets are
/// catalogued into the sealed contract at submission; the price is the bytes to check.
/// </summary>
public sealed class VerifyKind : JobKind<VerifyContract>
{
    public const string ReportName = "verification-report.json";

    public override string Name => JobKinds.Verify;

    public override string MainResult => ReportName;

    public override JobTerms TermsOf(VerifyContract contract) =>
        new(CreditPricing.Price(Name, new PriceQuantities { CheckedBytes = contract.TotalBytes }).EstimatedCredits);

    public override async Task<SealedJob> SubmitAsync(JobRequest request, IJobInputs inputs, CancellationToken cancellationToken)
    {
        var unknown = request.Params.Keys.Where(k => k is not ("job_id" or "artifact_ids")).ToArray();
        if (unknown.Length > 0) throw new ContractException($"params: verify takes job_id or artifact_ids; unknown: {string.Join(", ", unknown)}.");
        if (request.Rows != 0) throw new ContractException("rows: verify jobs check artifacts and take no rows.");
        if (!string.IsNullOrEmpty(request.Description)) throw new ContractException("description: verify jobs check artifacts and take no description.");
        if (request.DatasetId is not null) throw new ContractException("dataset_id: verify jobs check artifacts named in params.job_id or params.artifact_ids.");
        var hasJob = request.Params.TryGetValue("job_id", out var targetJob) && !string.IsNullOrWhiteSpace(targetJob);
        var hasArtifacts = request.Params.TryGetValue("artifact_ids", out var artifactList) && !string.IsNullOrWhiteSpace(artifactList);
        if (hasJob == hasArtifacts) throw new ContractException("params: a verify job takes exactly one of job_id or artifact_ids.");

        IReadOnlyList<InputArtifact> artifacts;
        if (hasJob)
            artifacts = await inputs.SucceededJobArtifactsAsync(targetJob!, "params", "only succeeded jobs have artifacts and evidence to verify");
        else
        {
            var ids = artifactList!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (ids.Length > VerifyContract.MaxTargets) throw new ContractException($"params: a verify job checks at most {VerifyContract.MaxTargets} artifacts; got {ids.Length}.");
            var found = new List<InputArtifact>();
            foreach (var id in ids) found.Add(await inputs.ArtifactAsync(id, "params"));
            artifacts = found;
        }
        var contract = new VerifyContract(hasJob ? targetJob : null,
            [.. artifacts.Select(a => new VerifyTarget(a.ArtifactId, a.Name, a.ArtifactType, a.ContentHash, a.SizeBytes))]);
        var description = hasJob ? $"verify job {targetJob}" : $"verify {contract.Targets.Count} artifacts";
        return Seal(contract, rows: 0, request.Seed, description, [.. contract.Targets.Select(t => new InputDigest(t.Name, t.ContentHash))]);
    }
}
