using System.Text.Json;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;

namespace RadMah.Engine.Pricing;

/// <summary>
/// Prices from the pricing file (Pricing/pricing.json, embedded): each kind names the one quantity
/// it is priced by, and the file holds the rates. A kind supplies its quantities
/// (<see cref="Price"/>); the estimate API asks by rows alone (<see cref="Estimate"/>). Credits are
/// exact to 6 decimals.
/// </summary>
public static class CreditPricing
{
    private static readonly PricingTable Table = Load();

    public static long RowsPerCredit => Table.RowsPerCredit;

    /// <summary>
    /// The estimate API: what <paramref name="rows"/> rows of <paramref name="kind"/> cost, for every
    /// known kind, built or not. Kinds priced by bytes are refused with the rate that applies.
    /// </summary>
    public static CreditEstimate Estimate(long rows, string kind)
    {
        var rule = RuleOf(kind);
        switch (rule.PricedBy)
        {
            case PricedBy.InputBytes:
                throw new ContractException($"kind: {kind} jobs are priced by the bytes of their input (data_bytes_per_credit: 1 credit per {Table.DataBytesPerCredit / 1_000_000:N0} MB), not by rows; the job's credits_held says what one will cost.");
            case PricedBy.CheckedBytes:
                throw new ContractException($"kind: {kind} jobs are priced by the bytes they check (verify_bytes_per_credit), not by rows; the job's credits_held says what one will cost.");
        }
        MockContract.ValidateRows(rows);
        return Price(kind, new PriceQuantities { Rows = rows, TrainingCells = rows * Table.EstimateColumns, Fabrications = 1 });
    }

    /// <summary>The price of a job of <paramref name="kind"/> with these quantities, by the rule pricing.json gives the kind.</summary>
    public static CreditEstimate Price(string kind, PriceQuantities quantities)
    {
        var rule = RuleOf(kind);
        var tier = rule.PricedBy == PricedBy.Training || rule.TrainingTier ? TierFor(quantities.TrainingCells) : null;
        var credits = rule.PricedBy switch
        {
            PricedBy.Rows => Rate(quantities.Rows, Table.RowsPerCredit, "rows"),
            PricedBy.InputBytes => Rate(quantities.InputBytes, Table.DataBytesPerCredit, "bytes to read"),
            PricedBy.CheckedBytes => Rate(quantities.CheckedBytes, Table.VerifyBytesPerCredit, "bytes to verify"),
            PricedBy.Training => tier!.TrainingCredits,
            PricedBy.Fabrication => quantities.Fabrications < 0 ? throw new ContractException("fabrications cannot be negative.") : quantities.Fabrications * Table.FabricationCredits,
            _ => throw new InvalidOperationException($"pricing.json: kind {kind} has no price rule."),
        };
        return new CreditEstimate(credits, tier?.Tier);
    }

    private static decimal Rate(long quantity, long perCredit, string what)
    {
        if (quantity < 0) throw new ContractException($"{what} cannot be negative.");
        return Math.Round((decimal)quantity / perCredit, Table.CreditDecimals, MidpointRounding.AwayFromZero);
    }

    private static TrainingTier TierFor(long trainingCells) =>
        Table.TrainingTiers.FirstOrDefault(t => trainingCells <= t.MaxTrainingCells) ?? Table.TrainingTiers[^1];

    /// <summary>The training cells (rows × columns × epochs) of a table file of <paramref name="bytes"/> bytes trained for <paramref name="epochs"/> epochs.</summary>
    public static long TrainingCellsOf(long bytes, int epochs) => Math.Max(1, bytes / Table.TrainingBytesPerCell) * Math.Max(1, epochs);

    private static KindRule RuleOf(string kind) =>
        JobKinds.IsKnown(kind) ? Table.Kinds[kind] : throw JobKinds.Unknown(kind);

    private static PricingTable Load()
    {
        using var stream = typeof(CreditPricing).Assembly.GetManifestResourceStream("RadMah.Engine.Pricing.pricing.json")
            ?? throw new InvalidOperationException("pricing.json is not embedded in the engine.");
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        var table = JsonSerializer.Deserialize<PricingTable>(stream, options) ?? throw new InvalidOperationException("pricing.json is empty.");
        if (table.RowsPerCredit <= 0 || table.TrainingTiers.Count == 0 || table.VerifyBytesPerCredit <= 0 || table.DataBytesPerCredit <= 0
            || table.TrainingBytesPerCell <= 0 || table.EstimateColumns <= 0 || table.FabricationCredits <= 0)
            throw new InvalidOperationException("pricing.json needs rows_per_credit, verify_bytes_per_credit, data_bytes_per_credit, training_bytes_per_cell, estimate_columns, fabrication_credits and training tiers.");
        var missing = JobKinds.All.Except(table.Kinds.Keys).ToArray();
        var extra = table.Kinds.Keys.Except(JobKinds.All).ToArray();
        if (missing.Length > 0 || extra.Length > 0)
            throw new InvalidOperationException($"pricing.json prices other kinds than the product's (missing: {string.Join(", ", missing)}; unknown: {string.Join(", ", extra)}).");
        return table;
    }

    private sealed record PricingTable(long RowsPerCredit, int CreditDecimals, long VerifyBytesPerCredit, long DataBytesPerCredit,
        long TrainingBytesPerCell, long EstimateColumns, decimal FabricationCredits, IReadOnlyList<TrainingTier> TrainingTiers, IReadOnlyDictionary<string, KindRule> Kinds);

    private sealed record TrainingTier(string Tier, long MaxTrainingCells, decimal TrainingCredits);

    private sealed record KindRule(PricedBy PricedBy, bool TrainingTier = false);

    private enum PricedBy
    {
        Rows,
        InputBytes,
        CheckedBytes,
        Training,
        Fabrication,
    }
}

/// <summary>What a job amounts to, for its price; each kind is priced by one of these (pricing.json says which).</summary>
public sealed record PriceQuantities
{
    /// <summary>Rows the job generates.</summary>
    public long Rows { get; init; }

    /// <summary>Bytes of input the job reads.</summary>
    public long InputBytes { get; init; }

    /// <summary>Bytes the job checks.</summary>
    public long CheckedBytes { get; init; }

    /// <summary>Training cells (rows × columns × epochs) of a model's training, which choose the training tier.</summary>
    public long TrainingCells { get; init; }

    /// <summary>Contracts or scenarios a fabrication writes (fabricate: 1; scenario_fabricate: its variants).</summary>
    public long Fabrications { get; init; }
}
