using Google.Protobuf.WellKnownTypes;
using RadMah.Gateway.V1;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Datasets;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Gateway.Services;

/// <summary>Grain contracts → API messages.</summary>
public static class ProtoMapping
{
    public static Job ToProto(this JobView view)
    {
        var job = new Job
        {
            Id = view.Id,
            Kind = view.Kind,
            Status = view.Status.ToWire(),
            Rows = view.Rows,
            Seed = view.Seed,
            Description = view.Description,
            ContractDigest = view.ContractDigest,
            CreatedAt = Timestamp.FromDateTime(view.CreatedAt),
            CreditsCharged = (double)view.CreditsCharged,
            Error = view.Error ?? "",
            RowsDone = view.RowsDone,
            RerunOf = view.RerunOf ?? "",
            Tier = view.Tier ?? "",
            Worker = view.Worker ?? "",
        };
        job.Warnings.AddRange(view.Warnings);
        if (view.QueuedAt is { } queued) job.QueuedAt = Timestamp.FromDateTime(queued);
        if (view.StartedAt is { } started) job.StartedAt = Timestamp.FromDateTime(started);
        if (view.FinishedAt is { } finished) job.FinishedAt = Timestamp.FromDateTime(finished);
        if (view.Training is { } training)
        {
            job.Training = new TrainingProgress { Epoch = training.Epoch, Epochs = training.Epochs };
            foreach (var (name, value) in training.Losses) job.Training.Losses[name] = value;
        }
        return job;
    }

    public static Dataset ToProto(this DatasetRecord record) => new()
    {
        Id = record.Id,
        Name = record.Name,
        Format = record.Format,
        ContentHash = record.ContentHash,
        SizeBytes = record.SizeBytes,
        ArtifactId = record.ArtifactId,
        CreatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(record.CreatedAt, DateTimeKind.Utc)),
    };

    public static Artifact ToProto(this ArtifactRecord record) => new()
    {
        Id = record.Id,
        JobId = record.JobId,
        ArtifactType = record.ArtifactType,
        ContentHash = record.ContentHash,
        SizeBytes = record.SizeBytes,
        MediaType = record.MediaType,
        Name = record.Name,
    };
}
