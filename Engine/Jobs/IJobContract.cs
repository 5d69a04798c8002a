using RadMah.Engine.Contracts;

namespace RadMah.Engine.Jobs;

/// <summary>
/// A kind's sealed contract: what alone defines a job's output. Sealing gives canonical JSON and its
/// digest; parsing reads that JSON back and checks it, so a stored contract can be run or rerun.
/// </summary>
public interface IJobContract<TSelf> where TSelf : IJobContract<TSelf>
{
    SealedContract Seal();

    /// <summary>Reads a contract from its canonical JSON and checks it; <see cref="ContractException"/> when it is not one.</summary>
    static abstract TSelf Parse(string json);
}
