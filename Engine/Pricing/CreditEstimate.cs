namespace RadMah.Engine.Pricing;

/// <summary>What a job is expected to cost; <see cref="TrainingTier"/> is set whenever training is involved.</summary>
public sealed record CreditEstimate(decimal EstimatedCredits, string? TrainingTier);
