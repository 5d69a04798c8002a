using System.Text.Json;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;

namespace RadMah.Engine.Pricing;

/// <summary>
/// (rows, kind) → (estimated credits, training tier): a pure function over the pricing file
/// (Pricing/pricing.json, embedded). Generation costs rows / rows_per_credit, exact to 6 decimals.
/// Train jobs cost their tier's training credits; synthesize jobs pay for the rows they generate
/// and report the tier of the model they sample from.
/// </summary>
public static class CreditPricing
{
    private static readonly PricingTable Table = Load();

    public static long RowsPerCredit => Table.RowsPerCredit;

    public static CreditEstimate Estimate(long rows, string kind)
    {
        JobKinds.EnsureKnown(kind);
        if (kind == JobKinds.Verify)
            throw new ContractException("kind: verify jobs are priced by the bytes they check (verify_bytes_per_credit), not by rows; the job's credits_held says what one will cost.");
        if (kind is JobKinds.Analyze or JobKinds.Fit or JobKinds.Lift)
            throw new ContractException($"kind: {kind} jobs are priced by the bytes of their input (data_bytes_per_credit: 1 credit per {Table.DataBytesPerCredit / 1_000_000:N0} MB), not by rows; the job's credits_held says what one will cost.");
        MockContract.ValidateRows(rows);
        var generation = Math.Round((decimal)rows / Table.RowsPerCredit, Table.CreditDecimals, MidpointRounding.AwayFromZero);
        if (!Table.TrainingKinds.Contains(kind)) return new CreditEstimate(generation, null);
        var tier = Table.TrainingTiers.FirstOrDefault(t => rows <= t.MaxTrainingRows) ?? Table.TrainingTiers[^1];
        return kind == JobKinds.Train
            ? new CreditEstimate(tier.TrainingCredits, tier.Tier)
            : new CreditEstimate(generation, tier.Tier);
    }

    /// <summary>Credits for reading <paramref name="bytes"/> bytes of data (analyze, fit, lift), exact to 6 decimals.</summary>
    public static decimal EstimateData(long bytes)
    {
        if (bytes < 0) throw new ContractException("bytes to read cannot be negative.");
        return Math.Round((decimal)bytes / Table.DataBytesPerCredit, Table.CreditDecimals, MidpointRounding.AwayFromZero);
    }

    /// <summary>Credits for checking <paramref name="bytes"/> bytes (verify jobs), exact to 6 decimals.</summary>
    public static decimal EstimateVerify(long bytes)
    {
        if (bytes < 0) throw new ContractException("bytes to verify cannot be negative.");
        return Math.Round((decimal)bytes / Table.VerifyBytesPerCredit, Table.CreditDecimals, MidpointRounding.AwayFromZero);
    }

    private static PricingTable Load()
    {
        using var stream = typeof(CreditPricing).Assembly.GetManifestResourceStream("RadMah.Engine.Pricing.pricing.json")
            ?? throw new InvalidOperationException("pricing.json is not embedded in the engine.");
        var table = JsonSerializer.Deserialize<PricingTable>(stream, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
            ?? throw new InvalidOperationException("pricing.json is empty.");
        if (table.RowsPerCredit <= 0 || table.TrainingTiers.Count == 0 || table.VerifyBytesPerCredit <= 0 || table.DataBytesPerCredit <= 0)
            throw new InvalidOperationException("pricing.json needs rows_per_credit, verify_bytes_per_credit, data_bytes_per_credit and training tiers.");
        return table;
    }

    private sealed record PricingTable(long RowsPerCredit, int CreditDecimals, long VerifyBytesPerCredit, long DataBytesPerCredit, IReadOnlyList<string> TrainingKinds, IReadOnlyList<TrainingTier> TrainingTiers);

    private sealed record TrainingTier(string Tier, long MaxTrainingRows, decimal TrainingCredits);
}
