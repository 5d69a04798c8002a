using RadMah.Engine.Transparency;
using RadMah.Grains.Interfaces.Seals;

namespace RadMah.Grains.Seals;

public static class SealProofViewExtensions
{
    /// <summary>The registry's proof as the engine's verifier reads it.</summary>
    public static SealProof ToSealProof(this SealProofView view) =>
        new(view.JobId, view.LeafIndex, view.TreeSize, view.Entry, view.LeafHash, view.InclusionProof, view.Checkpoint);
}
