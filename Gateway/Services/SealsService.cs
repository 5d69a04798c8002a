using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using RadMah.Gateway.Security;
using RadMah.Gateway.V1;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Seals;

namespace RadMah.Gateway.Services;

/// <summary>
/// The seal log for its readers: a job's seal with its inclusion proof (own jobs only, like every
/// job look-up), signed checkpoints, consistency proofs and the published public keys.
/// </summary>
[Authorize]
public sealed class SealsService(IGrainFactory grains, CallerJobs callerJobs) : V1.Seals.SealsBase
{
    private ISealRegistryGrain Registry => grains.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global);

    public override async Task<SealProof> GetSeal(GetSealRequest request, ServerCallContext context)
    {
        var (_, job) = await callerJobs.OwnedJobAsync(context.AccountId(), request.JobId);
        if (job.Status != JobStatus.Succeeded)
            throw new RadMahException(RadMahException.NotFound, $"job {job.Id} has no seal: it is {job.Status.ToWire()}; only succeeded jobs are sealed.", "job_id");
        var proof = await Registry.GetProofAsync(job.Id);
        var reply = new SealProof
        {
            JobId = proof.JobId,
            LeafIndex = proof.LeafIndex,
            TreeSize = proof.TreeSize,
            Entry = proof.Entry,
            LeafHash = ByteString.CopyFrom(proof.LeafHash),
            Checkpoint = proof.Checkpoint,
        };
        reply.InclusionProof.AddRange(proof.InclusionProof.Select(ByteString.CopyFrom));
        return reply;
    }

    public override async Task<Checkpoint> GetCheckpoint(GetCheckpointRequest request, ServerCallContext context)
    {
        var checkpoint = await Registry.GetCheckpointAsync();
        return new Checkpoint { TreeSize = checkpoint.TreeSize, RootHash = ByteString.CopyFrom(checkpoint.RootHash), SignedNote = checkpoint.SignedNote };
    }

    public override async Task<ConsistencyProof> GetConsistency(GetConsistencyRequest request, ServerCallContext context)
    {
        var consistency = await Registry.GetConsistencyAsync(request.From, request.To);
        var reply = new ConsistencyProof
        {
            From = consistency.FromSize,
            To = consistency.ToSize,
            FromRoot = ByteString.CopyFrom(consistency.FromRoot),
            ToRoot = ByteString.CopyFrom(consistency.ToRoot),
        };
        reply.Proof.AddRange(consistency.Proof.Select(ByteString.CopyFrom));
        return reply;
    }

    public override async Task<ListKeysResponse> ListKeys(ListKeysRequest request, ServerCallContext context)
    {
        var reply = new ListKeysResponse();
        reply.Keys.AddRange((await Registry.GetPublicKeysAsync()).Select(k => new PublicKey
        {
            KeyId = k.KeyId,
            Algorithm = k.Algorithm,
            PublicKeyPem = k.PublicKeyPem,
            CreatedAt = ApiTimestamps.Format(k.CreatedAt),
        }));
        return reply;
    }
}
