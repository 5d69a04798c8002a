using System.Text;
using RadMah.Artifacts;
using RadMah.Engine.Analysis.Inference;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Analysis.Report;
using RadMah.Engine.Datasets;
using RadMah.Engine.Jobs;
using RadMah.Engine.Kinds;
using RadMah.Engine.Synthesis;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>
/// analyze: profiles the dataset in one streaming pass and stores report.html (the profile, for
/// people), profile.json (the profile) and contract.json (the inferred schema as a sealed mock
/// contract, for look-alike data, with a copula fitted in a second pass over a sample of the rows so
/// the look-alike keeps pair trends). A file that cannot be read fails the job with the reader's message.
/// </summary>
public sealed class AnalyzeWork(AnalyzeKind kind) : JobWork<DataJobContract>(kind)
{
    protected override async Task<IReadOnlyList<StagedArtifact>> RunAsync(JobDefinition definition, DataJobContract contract, IArtifactStore store, WorkSettings settings,
        CancellationToken cancellationToken)
    {
        var profile = await ProfileAsync(contract, store, settings, cancellationToken);
        var dependence = await SynthesisRun.FitLookAlikeAsync(ct => DataJobWork.OpenInputAsync(contract, store, ct), profile, contract.Seed, settings.Parallelism,
            SynthesisRevision.Of(contract.Revision).CopulaFitting, cancellationToken);
        var inferred = ContractInference.Infer(profile, Math.Max(1, profile.Table.Rows), contract.Seed, dependence).Seal();
        return
        [
            await StageAsync(store, definition.JobId, AnalyzeKind.ReportName, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(HtmlReport.Render(profile)), cancellationToken),
            await StageAsync(store, definition.JobId, AnalyzeKind.ProfileName, "application/json", profile.ToJsonBytes(), cancellationToken),
            await StageAsync(store, definition.JobId, ArtifactNames.Contract, "application/json", Encoding.UTF8.GetBytes(inferred.CanonicalJson), cancellationToken),
        ];
    }

    /// <summary>The input's profile; with compared datasets, each is profiled too and the foreign keys between them enter the profile.</summary>
    private static async Task<DatasetProfile> ProfileAsync(DataJobContract contract, IArtifactStore store, WorkSettings settings, CancellationToken cancellationToken)
    {
        if (contract.Compared.Count == 0) return await DataJobWork.ProfileAsync(contract, store, settings, cancellationToken);
        var subject = await DataJobWork.ProfileInputAsync(contract.Input, contract.ReadOptions(), contract.Seed, keySignatures: true, store, settings, cancellationToken);
        var others = new List<ForeignKeys.Table>();
        foreach (var other in contract.Compared)
        {
            ProfileResult result;
            try
            {
                result = await DataJobWork.ProfileInputAsync(other, new TableReadOptions(), contract.Seed, keySignatures: true, store, settings, cancellationToken);
            }
            catch (DatasetException ex)
            {
                throw new DatasetException($"compared dataset {other.DatasetId} ({other.Name}): {ex.Message}", ex);
            }
            others.Add(ForeignKeys.Table.From(other.DatasetId ?? other.ArtifactId, result));
        }
        var keys = ForeignKeys.Find(ForeignKeys.Table.From(contract.Input.DatasetId ?? contract.Input.ArtifactId, subject), others);
        return subject.Profile with { Table = subject.Profile.Table with { CandidateForeignKeys = keys } };
    }
}
