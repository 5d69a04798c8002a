using System.Globalization;
using System.Text.Json.Nodes;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Constraints;

/// <summary>
/// Keeps synthetic rows from equalling training rows more often than unseen real rows do. A model of
/// a small or coarse table (few values per column, integers) draws whole training rows now and then,
/// and a copied row is the one thing a synthetic table must not leak. The holdout shows how often
/// copies happen by chance: a held-out row equals some training row at rate h. A trial sample of the
/// model shows its own rate y. Where y is more than the privacy report allows (h plus three standard
/// errors of it, plus 0.1%: <see cref="Reports.PrivacyReport.AllowedCopyRate"/>), a drawn row equal to
/// a training row is kept with probability h(1 − y) / (y(1 − h)) and otherwise drawn again
/// (<see cref="ConstrainedModel"/>, as it redraws a row that breaks a rule), which brings the model's
/// rate down to about h: to none when no held-out row equals a training row. Otherwise, or when
/// nothing was held out, rows are left as drawn: on a coarse table (few values per column) copies are
/// what unseen rows show too, and redrawing them would bend the columns' shapes for nothing.
/// From revision 11 on (<see cref="SynthesisRevision.MarginalCopies"/>) the trial's columns are also
/// shuffled apart, each on its own seeded order: the model's marginals drawn with no relation between
/// them. Their rate q of rows equal to a training row is what the columns' values alone produce, and
/// copies up to it are allowed as well, where q is above the holdout's allowance: a row whose first draw is a
/// copy is kept with probability max(h, q) / y and otherwise drawn until it is none (<see cref="Rejects"/>). On a designed
/// experiment (every combination of a few levels once, so no held-out row repeats a training row) q is
/// most of the grid: drawing the columns independently copies training rows as often as any model
/// does, redrawing them leaves only the held-out combinations (which are real rows as well) and bends
/// every column's shape. Where a column identifies its row (measurements drawn continuous) q is 0 and
/// nothing changes. Which rows are kept depends only on the seed and the row, so reruns give the same bytes.
/// </summary>
public sealed class CopyGuard
{
    /// <summary>Rows of the trial sample that measures how often the model copies.</summary>
    public const int TrialRows = 20_000;

    private const ulong TrialSalt = 0x636F707974726961UL;
    private const ulong KeepSalt = 0x636F70796B656570UL;
    private const ulong ShuffleSalt = 0x636F707973687566UL;

    private readonly HashSet<ulong> _training;

    /// <summary>The keys of the training rows (<see cref="RowKeys"/>), which the privacy report counts copies with too.</summary>
    public IReadOnlySet<ulong> TrainingKeys => _training;

    private CopyGuard(HashSet<ulong> training, double trialCopyRate, int holdoutRows, double? holdoutCopyRate, IReadOnlyList<TableColumn>? independentTrial)
    {
        _training = training;
        TrialCopyRate = trialCopyRate;
        HoldoutRows = holdoutRows;
        HoldoutCopyRate = holdoutCopyRate;
        IndependentTrial = independentTrial;
        if (independentTrial is not null) IndependentCopyRate = (double)RowKeys.All(independentTrial).Count(training.Contains) / TrialRows;
        if (holdoutCopyRate is not { } h) return;
        var independentAllowance = IndependentAllowance(TrialRows);
        if (trialCopyRate <= Math.Max(Reports.PrivacyReport.AllowedCopyRate(h, holdoutRows), independentAllowance ?? 0)) return;
        if (IndependentCopyRate is { } q)
            KeepShare = Math.Max(h, independentAllowance is null ? 0 : q) / trialCopyRate;
        else
            KeepShare = h * (1 - trialCopyRate) / (trialCopyRate * (1 - h));
    }

    /// <summary>The share of the trial sample's rows that equal a training row.</summary>
    public double TrialCopyRate { get; }

    public int HoldoutRows { get; }

    /// <summary>The share of held-out rows that equal a training row; null when nothing was held out.</summary>
    public double? HoldoutCopyRate { get; }

    /// <summary>
    /// The share of the trial's rows equal to a training row once its columns are shuffled apart (the model's marginals drawn
    /// independently); null before revision 11.
    /// </summary>
    public double? IndependentCopyRate { get; }

    /// <summary>
    /// The copy rate the model's marginals alone explain in a sample of <paramref name="sampleRows"/> rows: <see cref="IndependentCopyRate"/>
    /// at its upper bound, and a count a sample drawn at it reaches by chance (<see cref="Reports.PrivacyReport.AllowedShare"/>). Null
    /// before revision 11, and where the marginals copy no more than the holdout's allowance: then every copy the model makes beyond the
    /// holdout's rate is its own, and the holdout alone judges it (as before revision 11).
    /// </summary>
    public double? IndependentAllowance(int sampleRows) =>
        IndependentCopyRate is { } q && HoldoutCopyRate is { } h && q > Reports.PrivacyReport.AllowedCopyRate(h, HoldoutRows)
            ? Reports.PrivacyReport.AllowedShare(q, TrialRows, sampleRows)
            : null;

    /// <summary>The shuffled trial (revision 11 on): the privacy report's second baseline of distances, rows that only the marginals made.</summary>
    public IReadOnlyList<TableColumn>? IndependentTrial { get; }

    /// <summary>The probability a drawn copy is kept (from revision 11 on, a row's first draw); null when the guard does nothing (the model copies no more than the report allows).</summary>
    public double? KeepShare { get; }

    public bool IsActive => KeepShare is not null;

    /// <summary>
    /// Measures the model (rules kept, no guard) against the training and holdout rows of <paramref name="table"/>; with
    /// <paramref name="marginalCopies"/> (revision 11 on), against its own marginals drawn independently as well.
    /// </summary>
    public static CopyGuard Measure(ConstrainedModel model, TrainingTable table, long seed, bool marginalCopies = false)
    {
        var training = new HashSet<ulong>(RowKeys.All(table.Training));
        var holdoutRows = table.Holdout.Count == 0 ? 0 : table.Holdout[0].Length;
        double? holdoutRate = holdoutRows == 0 ? null : (double)RowKeys.All(table.Holdout).Count(training.Contains) / holdoutRows;
        var trial = model.Sample(0, TrialRows, SplitMix64.SeedKey(unchecked((ulong)seed) ^ TrialSalt));
        var trialRate = (double)RowKeys.All(trial).Count(training.Contains) / TrialRows;
        var independent = marginalCopies ? ShuffledApart(trial, SplitMix64.SeedKey(unchecked((ulong)seed) ^ ShuffleSalt)) : null;
        return new CopyGuard(training, trialRate, holdoutRows, holdoutRate, independent);
    }

    /// <summary>Each column of <paramref name="table"/> in an order of its own (seeded Fisher–Yates): the same marginals, no relation between them.</summary>
    private static TableColumn[] ShuffledApart(IReadOnlyList<TableColumn> table, ulong key) =>
    [
        .. table.Select((column, c) =>
        {
            var order = Enumerable.Range(0, column.Length).ToArray();
            var random = SplitMix64.ForCell(key, 0, c);
            for (var i = order.Length - 1; i > 0; i--)
            {
                var j = (int)random.NextBelow((ulong)i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            return column.AtRows(order);
        }),
    ];

    /// <summary>
    /// Whether the row with key <paramref name="rowKey"/>, row number <paramref name="row"/> of the stream <paramref name="seedKey"/>, is drawn
    /// again at <paramref name="attempt"/>. From revision 11 on, whether a row's first draw may stay a copy is decided once (with
    /// probability <see cref="KeepShare"/>, the target rate over the trial's) and a row drawn again is drawn until it is no copy: a
    /// redraw within the row's strata is most often the same copy again, so deciding again at every attempt kept far more copies than
    /// the share says. Before, the share was drawn at every attempt.
    /// </summary>
    public bool Rejects(ulong rowKey, ulong seedKey, long row, int attempt)
    {
        if (KeepShare is not { } keep || !_training.Contains(rowKey)) return false;
        if (IndependentCopyRate is not null && attempt > 0) return true;
        var u = (SplitMix64.Mix64(SplitMix64.Mix64(seedKey ^ KeepSalt ^ (ulong)attempt) ^ (ulong)row) >> 11) * (1.0 / (1UL << 53));
        return u >= keep;
    }

    /// <summary>What the privacy report says of the guard: from revision 11 on, also the rate of the model's columns drawn independently.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["trial_rows"] = TrialRows,
            ["trial_copy_rate"] = Math.Round(TrialCopyRate, 6),
            ["holdout_rows"] = HoldoutRows,
            ["holdout_copy_rate"] = HoldoutCopyRate is { } h ? Math.Round(h, 6) : null,
        };
        if (IndependentCopyRate is { } q) json["independent_copy_rate"] = Math.Round(q, 6);
        json["keep_share"] = KeepShare is { } k ? Math.Round(k, 6) : null;
        json["note"] = Note;
        return json;
    }

    private string Note => IsActive
        ? IndependentCopyRate is { } q
            ? string.Create(CultureInfo.InvariantCulture,
                $"a trial sample of the model equalled a training row on {TrialCopyRate:P2} of its rows, held-out rows on {HoldoutCopyRate:P2}, and the model's columns drawn independently on {q:P2}: a drawn row equal to a training row was kept with probability {KeepShare:0.####} and otherwise drawn again")
            : string.Create(CultureInfo.InvariantCulture,
                $"a trial sample of the model equalled a training row on {TrialCopyRate:P2} of its rows, held-out rows on {HoldoutCopyRate:P2}: a drawn row equal to a training row was kept with probability {KeepShare:0.####} and otherwise drawn again")
        : HoldoutCopyRate is null
            ? "no row was held out, so rows equal to a training row were left as drawn"
            : IndependentCopyRate is { } independent && IndependentAllowance(TrialRows) is not null
              && TrialCopyRate > Reports.PrivacyReport.AllowedCopyRate(HoldoutCopyRate.Value, HoldoutRows)
                ? string.Create(CultureInfo.InvariantCulture,
                    $"the model equals training rows ({TrialCopyRate:P2} of a trial) more often than held-out rows do ({HoldoutCopyRate:P2}), but no more than its columns drawn independently do ({independent:P2}): such copies come from the columns' values alone, so rows were left as drawn")
                : "the model equals training rows within what held-out rows do (the report's allowance); rows were left as drawn";
}
