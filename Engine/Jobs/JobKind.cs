using RadMah.Engine.Contracts;

namespace RadMah.Engine.Jobs;

/// <summary>
/// The shape every kind shares: a contract type of its own, checked the same way whether it was
/// just built from a request, is about to run, or is opened again for a rerun.
/// </summary>
public abstract class JobKind<TContract> : IJobKind where TContract : IJobContract<TContract>
{
    public abstract string Name { get; }

    public abstract string MainResult { get; }

    public abstract Task<SealedJob> SubmitAsync(JobRequest request, IJobInputs inputs, CancellationToken cancellationToken);

    /// <summary>The contract's price and compute needs.</summary>
    public abstract JobTerms TermsOf(TContract contract);

    /// <summary>Checks a parsed contract against what this kind runs (its options, its inputs); parsing has checked the rest.</summary>
    protected virtual void Validate(TContract contract)
    {
    }

    /// <summary>
    /// A stored contract, as work runs it and a rerun reopens it: the text must hash to the digest
    /// (it is what was sealed), parse, and pass the kind's checks under this build.
    /// </summary>
    public TContract Open(string contractJson, string contractDigest)
    {
        SealedContract.EnsureIntact(contractJson, contractDigest);
        var contract = TContract.Parse(contractJson);
        Validate(contract);
        return contract;
    }

    public JobTerms Reopen(string contractJson, string contractDigest) => TermsOf(Open(contractJson, contractDigest));

    /// <summary>Seals a contract built from a request, with the facts the job records about it.</summary>
    protected SealedJob Seal(TContract contract, long rows, long seed, string description, IReadOnlyList<InputDigest>? inputs = null,
        IReadOnlyList<string>? warnings = null)
    {
        Validate(contract);
        return new SealedJob
        {
            Contract = contract.Seal(),
            Rows = rows,
            Seed = seed,
            Description = description,
            Terms = TermsOf(contract),
            Inputs = inputs ?? [],
            Warnings = warnings ?? [],
        };
    }
}
