using System.Globalization;
using System.Text;
using Apache.Arrow;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Contracts;
using RadMah.Engine.Datasets;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Copula;

namespace RadMah.Engine.Synthesis.Tables;

/// <summary>How a table is split and bounded for training.</summary>
public sealed record TrainingSplit
{
    /// <summary>The share of rows held out of training, for the privacy report.</summary>
    public double HoldoutFraction { get; init; } = 0.2;

    /// <summary>At most this many training rows are kept (a seeded uniform sample beyond).</summary>
    public int MaxTrainingRows { get; init; } = 1_000_000;

    /// <summary>At most this many holdout rows are kept.</summary>
    public int MaxHoldoutRows { get; init; } = 50_000;

    /// <summary>Seeds which rows are held out and which are sampled.</summary>
    public long Seed { get; init; }
}

/// <summary>
/// A real table read for a model: each column's codec, and the modelled columns' values split into
/// training and holdout rows. Which rows fall where depends only on the seed and the row's index, so
/// the split is found again by anyone who reads the same bytes with the same seed.
/// </summary>
public sealed record TrainingTable(IReadOnlyList<ColumnCodec> Codecs, IReadOnlyList<TableColumn> Training, IReadOnlyList<TableColumn> Holdout, long RowsRead, bool Sampled)
{
    /// <summary>Fewer rows than this are refused: neither a model nor its reports mean anything on them.</summary>
    public const int MinRows = 10;

    /// <summary>More columns than this are refused (the copula's correlation grows with their square).</summary>
    public const int MaxColumns = 250;

    /// <summary>Columns a model is trained with on its full <see cref="TrainingSplit.MaxTrainingRows"/>; a wider table, on fewer (<see cref="MaxTrainingRowsFor"/>).</summary>
    public const int FullSizeColumns = 200;

    /// <summary>
    /// The most training rows a table of <paramref name="columns"/> columns is trained on: <paramref name="maxTrainingRows"/> up to
    /// <see cref="FullSizeColumns"/> columns, and above, as many as keep rows × columns² (the copula's pairwise sums) at what
    /// 200 columns cost (250 columns: 64%). A model records it (<c>max_training_rows</c>), so its reports find the same rows.
    /// </summary>
    public static int MaxTrainingRowsFor(int columns, int maxTrainingRows) => columns <= FullSizeColumns
        ? maxTrainingRows
        : (int)((long)maxTrainingRows * FullSizeColumns * FullSizeColumns / ((long)columns * columns));

    /// <summary>A category column with more distinct values than this is refused.</summary>
    public const int MaxCategories = 10_000;

    private const ulong HoldoutSalt = 0x686F6C646F75745FUL; // "holdout_"

    /// <summary>
    /// Each column's codec, decided from the table's profile as <paramref name="fitting"/>'s revision decides
    /// (<see cref="ColumnCodec.DecimalsOf"/>). Refuses, with the reason, a table a model cannot be trained on.
    /// </summary>
    public static IReadOnlyList<ColumnCodec> CodecsOf(DatasetProfile profile, CopulaFitting fitting, bool regenerateEmpty = false)
    {
        if (profile.Columns.Count > MaxColumns)
            throw new ContractException($"the table cannot be trained on: it has {profile.Columns.Count:N0} columns; a model takes at most {MaxColumns}.");
        if (profile.Table.Rows < MinRows)
            throw new ContractException($"the table cannot be trained on: it has {profile.Table.Rows} row(s); training needs at least {MinRows}.");
        var codecs = profile.Columns.Select(c => ColumnCodec.Of(c, profile.Table.Rows, regenerateEmpty, fitting >= CopulaFitting.PrecisionKept)).ToArray();
        if (!codecs.Any(c => c.IsModelled))
            throw new ContractException("the table cannot be trained on: no column can be modelled (every column is an identifier, free text or personal data, which are regenerated, not learned).");
        return codecs;
    }

    /// <summary>
    /// The table with each decimal column whose training values are all whole numbers (3750.0, 181.0) read as whole numbers and
    /// its codec marked (<see cref="ColumnCodec.WholeNumbers"/>): a model then draws whole numbers, written as the table writes
    /// them, where it drew 4138.6. The profile cannot tell: it reads "3750.0" as a decimal, as it is written.
    /// </summary>
    public TrainingTable WithWholeNumbers()
    {
        var whole = Training.OfType<NumericColumn>()
            .Where(n => n.Role == NumericRole.Decimal && n.Decimals > 0 && n.Values.Any(v => !double.IsNaN(v)) && n.Values.All(v => double.IsNaN(v) || v == Math.Floor(v)))
            .Select(n => n.Name).ToHashSet();
        if (whole.Count == 0) return this;
        TableColumn Whole(TableColumn column) => whole.Contains(column.Name) ? new NumericColumn(column.Name, ((NumericColumn)column).Values, NumericRole.Decimal, 0) : column;
        return this with
        {
            Codecs = [.. Codecs.Select(c => whole.Contains(c.Name) ? c with { WholeNumbers = true } : c)],
            Training = [.. Training.Select(Whole)],
            Holdout = [.. Holdout.Select(Whole)],
        };
    }

    /// <summary>
    /// Reads the table into its modelled columns, split into training and holdout rows.
    /// <paramref name="tableRows"/> (the profile's count) sets the sampling rates of a table larger than the bounds.
    /// </summary>
    public static async Task<TrainingTable> LoadAsync(ITableReader reader, IReadOnlyList<ColumnCodec> codecs, long tableRows, TrainingSplit split, CancellationToken cancellationToken = default)
    {
        var holdoutShare = split.HoldoutFraction;
        var expectedTraining = tableRows * (1 - holdoutShare);
        var expectedHoldout = tableRows * holdoutShare;
        var keepTraining = expectedTraining <= split.MaxTrainingRows ? 1.0 : split.MaxTrainingRows / expectedTraining;
        var keepHoldout = expectedHoldout <= split.MaxHoldoutRows ? 1.0 : split.MaxHoldoutRows / Math.Max(1, expectedHoldout);
        var key = SplitMix64.Mix64(SplitMix64.SeedKey(unchecked((ulong)split.Seed)) ^ HoldoutSalt);

        var modelled = codecs.Select((c, i) => (Codec: c, Index: i)).Where(c => c.Codec.IsModelled).ToArray();
        var training = modelled.Select(m => new ColumnReader(m.Codec, m.Index)).ToArray();
        var holdout = modelled.Select(m => new ColumnReader(m.Codec, m.Index)).ToArray();
        // Whole-number columns are watched, over every row in file order, for a strictly increasing series.
        var series = modelled.Select(m => m.Codec.Kind is CodecKind.Date or CodecKind.DateTime || m.Codec is { Kind: CodecKind.Number, Role: NumericRole.Integer }
            ? new SeriesTracker(unique: m.Codec.Kind == CodecKind.Number) : null).ToArray();
        long row = 0;
        var sampled = keepTraining < 1 || keepHoldout < 1;
        await foreach (var batch in reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            using (batch)
            {
                for (var i = 0; i < batch.RowCount; i++, row++)
                {
                    var draw = SplitMix64.ForCell(key, row, 0);
                    var isHoldout = draw.NextDouble() < holdoutShare;
                    var keep = draw.NextDouble() < (isHoldout ? keepHoldout : keepTraining);
                    var readers = isHoldout ? holdout : training;
                    for (var m = 0; m < readers.Length; m++)
                    {
                        var array = batch.Data.Column(readers[m].Index);
                        if (series[m] is { } tracker)
                        {
                            var value = readers[m].Parse(array, i);
                            tracker.Add(value);
                            if (keep) readers[m].AddNumber(value);
                        }
                        else if (keep) readers[m].Add(array, i);
                    }
                }
            }
        }
        // A strictly increasing series with a constant step is written as that series (unique, in
        // order, extended past the real rows), not drawn: a copula would repeat and shuffle its values.
        var finalCodecs = codecs.ToArray();
        var kept = new List<int>();
        for (var m = 0; m < modelled.Length; m++)
        {
            var lastModelled = modelled.Length - (m - kept.Count) <= 1;
            if (series[m] is { IsSeries: true } s && !lastModelled) finalCodecs[modelled[m].Index] = SeriesCodec(modelled[m].Codec, s);
            else if (series[m] is { IsUniqueKey: true } u && !lastModelled) finalCodecs[modelled[m].Index] = UniqueCodec(modelled[m].Codec, u);
            else kept.Add(m);
        }
        var trainingColumns = kept.Select(m => training[m].Build()).ToArray();
        if (trainingColumns[0].Length < MinRows / 2)
            throw new ContractException($"the table cannot be trained on: {trainingColumns[0].Length} row(s) are left for training after the holdout; training needs at least {MinRows / 2}.");
        return new TrainingTable(finalCodecs, trainingColumns, [.. kept.Select(m => holdout[m].Build())], row, sampled);
    }

    private static ColumnCodec SeriesCodec(ColumnCodec codec, SeriesTracker series)
    {
        var type = codec.Kind switch
        {
            CodecKind.Date => ColumnType.Date,
            CodecKind.DateTime => ColumnType.Timestamp,
            _ => ColumnType.Int64,
        };
        var parameters = new System.Text.Json.Nodes.JsonObject { ["start"] = (long)series.First, ["step"] = (long)series.Step };
        if (codec.DateFormat is not null) parameters["format"] = codec.DateFormat;
        return codec with { Kind = CodecKind.Regenerated, NullRate = 0, Generator = new ColumnSpec(codec.Name, type, "arithmetic", parameters) };
    }

    private static ColumnCodec UniqueCodec(ColumnCodec codec, SeriesTracker values) =>
        codec with
        {
            Kind = CodecKind.Regenerated,
            NullRate = 0,
            Generator = new ColumnSpec(codec.Name, ColumnType.Int64, "unique_integer", new System.Text.Json.Nodes.JsonObject { ["min"] = (long)values.Min, ["max"] = (long)values.Max }),
        };

    /// <summary>
    /// Whether a column's values, in file order, are start, start + step, start + 2·step, … with a
    /// whole positive step, no gap and no null, over at least <see cref="Constraints.ConstraintDetector.MinSupport"/> rows;
    /// and, for whole numbers, whether they never repeat where repeats were to be expected (a key).
    /// </summary>
    private sealed class SeriesTracker(bool unique)
    {
        /// <summary>Distinct values remembered at most; a longer column is not checked for uniqueness.</summary>
        private const int MaxTracked = 2_000_000;

        private long _count;
        private double _last = double.NaN;
        private bool _broken;
        private HashSet<long>? _seen = unique ? [] : null;

        public double Min { get; private set; } = double.PositiveInfinity;

        public double Max { get; private set; } = double.NegativeInfinity;

        /// <summary>
        /// No value repeats, on at least 50 rows, where drawing as many values uniformly from
        /// [min, max] would have repeated at least 10 (n(n − 1) / 2 / range ≥ 10): ids and codes, not
        /// large numbers that happen to differ.
        /// </summary>
        public bool IsUniqueKey => _seen is not null && _count >= Constraints.ConstraintDetector.MinSupport
            && _count * (_count - 1) / 2.0 / (Max - Min + 1) >= Constraints.ConstraintDetector.MinExpectedViolations;

        public double First { get; private set; } = double.NaN;

        public double Step { get; private set; } = double.NaN;

        public bool IsSeries => !_broken && _count >= Constraints.ConstraintDetector.MinSupport;

        public void Add(double value)
        {
            _count++;
            var whole = !double.IsNaN(value) && value == Math.Floor(value) && Math.Abs(value) <= 1e15;
            if (!double.IsNaN(value))
            {
                Min = Math.Min(Min, value);
                Max = Math.Max(Max, value);
            }
            if (_seen is not null && (!whole || _seen.Count >= MaxTracked || !_seen.Add((long)value))) _seen = null;
            if (_broken) return;
            if (!whole) _broken = true;
            else if (_count == 1) First = value;
            else if (_count == 2) _broken = !((Step = value - _last) >= 1);
            else _broken = value - _last != Step;
            _last = value;
        }
    }

    /// <summary>Reads one column's values, by its codec, from Arrow arrays of any type the readers give.</summary>
    private sealed class ColumnReader(ColumnCodec codec, int index)
    {
        private readonly List<double> _numbers = [];
        private readonly List<int> _codes = [];
        private readonly Dictionary<string, int> _categories = new(StringComparer.Ordinal);
        private readonly List<string> _categoryList = [];

        public int Index { get; } = index;

        /// <summary>A number column's value of row <paramref name="i"/>: NaN for null or unreadable.</summary>
        public double Parse(IArrowArray array, int i) => Number(array, i);

        public void AddNumber(double value) => _numbers.Add(value);

        public void Add(IArrowArray array, int i)
        {
            if (codec.Kind == CodecKind.Category)
            {
                var text = CategoryText(array, i);
                if (text is null)
                {
                    _codes.Add(CategoricalColumn.Null);
                    return;
                }
                if (!_categories.TryGetValue(text, out var code))
                {
                    if (_categoryList.Count >= MaxCategories)
                        throw new ContractException($"the table cannot be trained on: column '{codec.Name}' has more than {MaxCategories:N0} distinct values, too many to learn as categories.");
                    code = _categoryList.Count;
                    _categories.Add(text, code);
                    _categoryList.Add(text);
                }
                _codes.Add(code);
                return;
            }
            _numbers.Add(Number(array, i));
        }

        public TableColumn Build()
        {
            if (codec.Kind == CodecKind.Category) return new CategoricalColumn(codec.Name, [.. _codes], [.. _categoryList], codec.SemanticType == SemanticTypes.Boolean);
            var role = codec.Kind switch
            {
                CodecKind.Date => NumericRole.Date,
                CodecKind.DateTime => NumericRole.DateTime,
                _ => codec.Role,
            };
            return new NumericColumn(codec.Name, [.. _numbers], role, codec.Kind == CodecKind.Number ? (role == NumericRole.Integer || codec.WholeNumbers ? 0 : codec.Decimals) : 0);
        }

        /// <summary>
        /// A category's text, verbatim: only an absent or empty value is null, so words such as
        /// "none" or "n/a" that a column uses as values stay values and are written back as such.
        /// </summary>
        private static string? CategoryText(IArrowArray array, int i)
        {
            if (array.IsNull(i)) return null;
            switch (array)
            {
                case StringArray strings:
                    var bytes = strings.GetBytes(i).Trim(" \t\r\n"u8);
                    return bytes.IsEmpty ? null : Encoding.UTF8.GetString(bytes);
                case BooleanArray booleans:
                    return booleans.GetValue(i) == true ? "true" : "false";
                default:
                    var number = NumberOf(array, i);
                    return double.IsNaN(number) ? null : number.ToString("R", CultureInfo.InvariantCulture);
            }
        }

        private double Number(IArrowArray array, int i)
        {
            if (array.IsNull(i)) return double.NaN;
            if (array is StringArray strings)
            {
                var bytes = strings.GetBytes(i).Trim(" \t\r\n"u8);
                return codec.Kind == CodecKind.Number ? ParseNumber(bytes) : ParseInstant(bytes);
            }
            var value = NumberOf(array, i);
            return codec.Kind switch
            {
                // Typed dates and timestamps arrive as days and seconds already (NumberOf).
                CodecKind.Date when array is TimestampArray => Math.Floor(value / 86_400),
                CodecKind.DateTime when array is Date32Array or Date64Array => value * 86_400,
                _ => value,
            };
        }

        private static double ParseNumber(ReadOnlySpan<byte> text) =>
            NumberParser.TryParse(text, out var number) && double.IsFinite(number.Value) ? number.Value : double.NaN;

        private double ParseInstant(ReadOnlySpan<byte> text)
        {
            Span<DateReading> readings = stackalloc DateReading[2];
            var count = DateParser.Parse(text, readings);
            if (count == 0) return double.NaN;
            var reading = readings[0];
            if (count == 2 && DateParser.IsDayFirst(readings[1].FormatKey) == codec.DayFirst) reading = readings[1];
            return codec.Kind == CodecKind.Date ? Math.Floor(reading.EpochSeconds / 86_400.0) : reading.EpochSeconds;
        }

        /// <summary>A typed value as a number: integers and floats as themselves, dates as days, timestamps as seconds.</summary>
        private static double NumberOf(IArrowArray array, int i) => array switch
        {
            Int64Array a => a.GetValue(i) ?? double.NaN,
            Int32Array a => a.GetValue(i) ?? double.NaN,
            Int16Array a => a.GetValue(i) ?? double.NaN,
            Int8Array a => a.GetValue(i) ?? double.NaN,
            UInt64Array a => a.GetValue(i) ?? double.NaN,
            UInt32Array a => a.GetValue(i) ?? double.NaN,
            UInt16Array a => a.GetValue(i) ?? double.NaN,
            UInt8Array a => a.GetValue(i) ?? double.NaN,
            DoubleArray a => a.GetValue(i) ?? double.NaN,
            FloatArray a => a.GetValue(i) ?? double.NaN,
            Decimal128Array a => a.GetValue(i) is { } d ? (double)d : double.NaN,
            Date32Array a => a.GetValue(i) ?? double.NaN,
            Date64Array a => a.GetValue(i) is { } ms ? Math.Floor(ms / 86_400_000.0) : double.NaN,
            TimestampArray a => a.GetTimestamp(i) is { } t ? t.ToUnixTimeSeconds() : double.NaN,
            BooleanArray a => a.GetValue(i) is { } b ? (b ? 1 : 0) : double.NaN,
            _ => double.NaN,
        };
    }
}
