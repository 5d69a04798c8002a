namespace RadMah.Grains.Interfaces.Pricing;

/// <summary>The estimate of the product page: estimated_credits, and training_tier when training is involved.</summary>
[GenerateSerializer, Immutable]
public sealed record CreditEstimateView([property: Id(0)] decimal EstimatedCredits, [property: Id(1)] string? TrainingTier);
