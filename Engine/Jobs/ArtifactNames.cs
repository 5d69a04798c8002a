namespace RadMah.Engine.Jobs;

/// <summary>
/// Artifact names more than one kind knows. The rule for every artifact: its type is the file name
/// the platform writes it under (dataset.csv, report.html, …), so a type says what the bytes are and
/// how they are encoded. An upload keeps the name it was uploaded under and has the type "upload".
/// </summary>
public static class ArtifactNames
{
    /// <summary>A generated or synthetic table's rows as CSV: what a table-producing job's download and to_dataframe read.</summary>
    public const string DatasetCsv = "dataset.csv";

    /// <summary>The same rows as an Arrow IPC file, typed.</summary>
    public const string DatasetArrow = "dataset.arrow";

    /// <summary>A sealed mock contract, as mock reads it back (params.contract_job_id).</summary>
    public const string Contract = "contract.json";

    /// <summary>The job's signed provenance (DSSE envelope around an in-toto statement), written at every success.</summary>
    public const string Evidence = "evidence.dsse.json";

    public const string Upload = "upload";

    /// <summary>
    /// A work's record of how it made its outputs (fabricate's and scenario_fabricate's path, and an
    /// LLM's provenance: model, prompt and answer digests, repair rounds). The job's evidence
    /// statement carries it as well as naming it as a subject.
    /// </summary>
    public const string WorkRecord = "fabrication.json";

    /// <summary>
    /// The name of output <paramref name="name"/> of run <paramref name="index"/> when a job makes
    /// several runs (simulate over a scenario pack): dataset.csv → dataset.0.csv, labels.json → labels.0.json.
    /// </summary>
    public static string Indexed(string name, int index)
    {
        var dot = name.LastIndexOf('.');
        return dot < 0 ? $"{name}.{index}" : $"{name[..dot]}.{index}{name[dot..]}";
    }
}
