namespace RadMah.Engine.Jobs;

/// <summary>
/// Everything the platform knows about one job kind outside its computation: how a request becomes
/// its sealed contract, what that costs and needs, which artifact is its result, and how a stored
/// contract is opened again. Submission, reruns, pricing and routing ask this object; nothing else
/// in the platform names a kind. The computation is the kind's work on the silo side.
/// </summary>
public interface IJobKind
{
    /// <summary>The kind's name on the API (mock, analyze, …).</summary>
    string Name { get; }

    /// <summary>
    /// The artifact a user means by the job's result: listed first among its artifacts, the file
    /// `download` writes. An artifact name (= type), such as dataset.csv.
    /// </summary>
    string MainResult { get; }

    /// <summary>
    /// Validates a request, looks up the files it names and seals its contract. Bad input is a
    /// <see cref="Contracts.ContractException"/> naming the field; nothing is created or held.
    /// </summary>
    Task<SealedJob> SubmitAsync(JobRequest request, IJobInputs inputs, CancellationToken cancellationToken);

    /// <summary>
    /// A stored contract's terms, for a rerun: its text must still hash to its digest and parse
    /// under this build; the price is computed anew.
    /// </summary>
    JobTerms Reopen(string contractJson, string contractDigest);
}
