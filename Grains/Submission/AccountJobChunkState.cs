namespace RadMah.Grains.Submission;

/// <summary>A closed chunk of an account's job index (<see cref="Interfaces.Submission.IAccountJobChunkGrain"/>).</summary>
[GenerateSerializer]
public sealed class AccountJobChunkState
{
    [Id(0)] public List<string> JobIds { get; set; } = [];
}
