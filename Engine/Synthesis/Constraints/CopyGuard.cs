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
/// Which rows are kept depends only on the seed and the row, so reruns give the same bytes.
/// </summary>
public sealed class CopyGuard
{
    /// <summary>Rows of the trial sample that measures how often the model copies.</summary>
    public const int TrialRows = 20_000;

    private const ulong TrialSalt = 0x636F707974726961UL;
    private const ulong KeepSalt = 0x636F70796B656570UL;

    private readonly HashSet<ulong> _training;

    /// <summary>The keys of the training rows (<see cref="RowKeys"/>), which the privacy report counts copies with too.</summary>
    public IReadOnlySet<ulong> TrainingKeys => _training;

    private CopyGuard(HashSet<ulong> training, double trialCopyRate, int holdoutRows, double? holdoutCopyRate)
    {
        _training = training;
        TrialCopyRate = trialCopyRate;
        HoldoutRows = holdoutRows;
        HoldoutCopyRate = holdoutCopyRate;
        if (holdoutCopyRate is { } h && trialCopyRate > Reports.PrivacyReport.AllowedCopyRate(h, holdoutRows))
            KeepShare = h * (1 - trialCopyRate) / (trialCopyRate * (1 - h));
    }

    /// <summary>The share of the trial sample's rows that equal a training row.</summary>
    public double TrialCopyRate { get; }

    public int HoldoutRows { get; }

    /// <summary>The share of held-out rows that equal a training row; null when nothing was held out.</summary>
    public double? HoldoutCopyRate { get; }

    /// <summary>The probability a drawn copy is kept; null when the guard does nothing (the model copies no more than the report allows).</summary>
    public double? KeepShare { get; }

    public bool IsActive => KeepShare is not null;

    /// <summary>Measures the model (rules kept, no guard) against the training and holdout rows of <paramref name="table"/>.</summary>
    public static CopyGuard Measure(ConstrainedModel model, TrainingTable table, long seed)
    {
        var training = new HashSet<ulong>(RowKeys.All(table.Training));
        var holdoutRows = table.Holdout.Count == 0 ? 0 : table.Holdout[0].Length;
        double? holdoutRate = holdoutRows == 0 ? null : (double)RowKeys.All(table.Holdout).Count(training.Contains) / holdoutRows;
        var trial = model.Sample(0, TrialRows, SplitMix64.SeedKey(unchecked((ulong)seed) ^ TrialSalt));
        var trialRate = (double)RowKeys.All(trial).Count(training.Contains) / TrialRows;
        return new CopyGuard(training, trialRate, holdoutRows, holdoutRate);
    }

    /// <summary>Whether the row with key <paramref name="rowKey"/>, row number <paramref name="row"/> of the stream <paramref name="seedKey"/>, is drawn again at <paramref name="attempt"/>.</summary>
    public bool Rejects(ulong rowKey, ulong seedKey, long row, int attempt)
    {
        if (KeepShare is not { } keep || !_training.Contains(rowKey)) return false;
        var u = (SplitMix64.Mix64(SplitMix64.Mix64(seedKey ^ KeepSalt ^ (ulong)attempt) ^ (ulong)row) >> 11) * (1.0 / (1UL << 53));
        return u >= keep;
    }

    /// <summary>What the privacy report says of the guard.</summary>
    public JsonObject ToJson() => new()
    {
        ["trial_rows"] = TrialRows,
        ["trial_copy_rate"] = Math.Round(TrialCopyRate, 6),
        ["holdout_rows"] = HoldoutRows,
        ["holdout_copy_rate"] = HoldoutCopyRate is { } h ? Math.Round(h, 6) : null,
        ["keep_share"] = KeepShare is { } k ? Math.Round(k, 6) : null,
        ["note"] = IsActive
            ? string.Create(CultureInfo.InvariantCulture,
                $"a trial sample of the model equalled a training row on {TrialCopyRate:P2} of its rows, held-out rows on {HoldoutCopyRate:P2}: a drawn row equal to a training row was kept with probability {KeepShare:0.####} and otherwise drawn again")
            : HoldoutCopyRate is null
                ? "no row was held out, so rows equal to a training row were left as drawn"
                : "the model equals training rows within what held-out rows do (the report's allowance); rows were left as drawn",
    };
}
