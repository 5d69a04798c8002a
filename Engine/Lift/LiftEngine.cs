using System.Globalization;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Datasets;

namespace RadMah.Engine.Lift;

/// <summary>How a lift reads its input; null leaves each choice to detection.</summary>
public sealed record LiftOptions
{
    /// <summary>auto, long, wide_time or wide_entity ("wide" means wide_time when there is a timestamp column).</summary>
    public string Shape { get; init; } = "auto";
    public string? EntityColumn { get; init; }
    public string? TimestampColumn { get; init; }
    public string? TagColumn { get; init; }
    public string? ValueColumn { get; init; }
    public string? QualityColumn { get; init; }
    /// <summary>The zone of timestamps written without one (IANA id); they become UTC.</summary>
    public string TimeZone { get; init; } = "UTC";
    /// <summary>Points held at once while series are sorted; a larger input is refused.</summary>
    public long MaxPoints { get; init; } = 20_000_000;
}

/// <summary>
/// lift: raw data → typed WorldState. Three shapes are recognised (or named by the options):
/// long, as SCADA historians export (timestamp, tag, value[, quality]), pivoted into one series per
/// tag; wide with one row per timestamp, each other column a series (per entity when an entity
/// column exists); wide with one row per entity, its columns the entity's attributes. Timestamps
/// become UTC microseconds; each series is sorted by time and described in the manifest with its
/// type, unit (from the name), sampling period, gaps and out-of-order points.
/// </summary>
public static class LiftEngine
{
    public const string SeriesSchemaVersion = "radmah.worldstate.series/1";

    private static readonly HashSet<string> TagNames = ["tag", "tagname", "tag_name", "tag_id", "point", "point_name", "pointname", "signal", "sensor", "variable", "item", "metric", "channel", "series", "name"];
    private static readonly HashSet<string> ValueNames = ["value", "val", "pv", "reading", "measurement", "v", "y"];
    private static readonly HashSet<string> QualityNames = ["quality", "q", "qual", "status", "flag", "quality_code"];
    private static readonly HashSet<string> EntityNames = ["entity", "entity_id", "asset", "asset_id", "device", "device_id", "equipment", "site", "unit", "plant", "machine", "station", "node", "well", "substation"];
    private static readonly HashSet<string> TimeNames = ["timestamp", "time", "ts", "datetime", "date_time", "date", "t", "time_stamp"];

    private enum Role { Timestamp, Tag, Value, Quality, Entity, Other }

    private sealed class Series(string entity, string tag)
    {
        public readonly string Entity = entity;
        public readonly string Tag = tag;
        public readonly List<long> Times = [];
        public readonly List<double> Numbers = [];
        public readonly List<string?> Texts = [];
        public readonly List<string?> Qualities = [];
        public long LastTime = long.MinValue;
        public long OutOfOrder;
        public bool AllNumbers = true;
        public bool AllBooleans = true;
        public bool AnyValue;

        /// <summary>Puts the points in time order (stable: equal timestamps keep file order), once, for the manifest and the Arrow file alike.</summary>
        public void SortByTime()
        {
            var order = Enumerable.Range(0, Times.Count).OrderBy(i => Times[i]).ThenBy(i => i).ToArray();
            Reorder(Times, order);
            Reorder(Numbers, order);
            Reorder(Texts, order);
            Reorder(Qualities, order);
        }

        private static void Reorder<T>(List<T> values, int[] order)
        {
            var sorted = order.Select(i => values[i]).ToArray();
            values.Clear();
            values.AddRange(sorted);
        }
    }

    public static async Task<WorldStateManifest> LiftAsync(ITableReader reader, string inputContentHash, LiftOptions options, Stream arrowOutput, CancellationToken cancellationToken)
    {
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new DatasetException($"timezone '{options.TimeZone}' is not an IANA time zone.");
        }
        var warnings = new List<string>(reader.Warnings);
        var series = new Dictionary<(string, string), Series>();
        var attributes = new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal);
        var attributeTypes = new Dictionary<string, ColumnTally>(StringComparer.Ordinal);
        string? shape = null;
        Dictionary<string, Role>? roles = null;
        var dayFirst = false;
        long points = 0, rows = 0, badTimes = 0;
        string? badTimeExample = null;
        var entityRows = new Dictionary<string, long>(StringComparer.Ordinal);

        await foreach (var batch in reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            using (batch)
            {
                var data = batch.Data;
                var names = data.Schema.FieldsList.Select(f => f.Name).ToList();
                if (roles is null) (shape, roles, dayFirst) = Plan(data, options);
                var index = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
                int? Column(Role role) => roles.FirstOrDefault(r => r.Value == role).Key is { } name && index.TryGetValue(name, out var i) ? i : null;
                var time = Column(Role.Timestamp);
                var tag = Column(Role.Tag);
                var value = Column(Role.Value);
                var quality = Column(Role.Quality);
                var entity = Column(Role.Entity);
                for (var r = 0; r < data.Length; r++)
                {
                    rows++;
                    var entityId = entity is { } e ? Cells.Text(data.Column(e), r) ?? "(none)" : "default";
                    if (shape == "wide_entity")
                    {
                        entityId = entity is not null ? entityId : $"row_{rows}";
                        entityRows[entityId] = entityRows.GetValueOrDefault(entityId) + 1;
                        var row = attributes.TryGetValue(entityId, out var existing) ? existing : attributes[entityId] = new(StringComparer.Ordinal);
                        for (var c = 0; c < names.Count; c++)
                        {
                            if (c == entity) continue;
                            row[names[c]] = Cells.Text(data.Column(c), r);
                            (attributeTypes.TryGetValue(names[c], out var tally) ? tally : attributeTypes[names[c]] = new ColumnTally()).Add(data.Column(c), r);
                        }
                        continue;
                    }
                    var at = Cells.Instant(data.Column(time!.Value), r, dayFirst, zone);
                    if (at is null)
                    {
                        badTimes++;
                        badTimeExample ??= Cells.Text(data.Column(time.Value), r) ?? "(empty)";
                        continue;
                    }
                    if (shape == "long")
                    {
                        var tagName = Cells.Text(data.Column(tag!.Value), r);
                        if (tagName is null) continue;
                        Add(series, entityId, tagName, at.Value, data.Column(value!.Value), r, quality is { } q ? Cells.Text(data.Column(q), r) : null);
                        points++;
                    }
                    else
                    {
                        for (var c = 0; c < names.Count; c++)
                        {
                            if (c == time || c == entity) continue;
                            Add(series, entityId, names[c], at.Value, data.Column(c), r, null);
                            points++;
                        }
                    }
                    if (points > options.MaxPoints)
                        throw new DatasetException($"the input has more than {options.MaxPoints:N0} points; lift sorts series in memory and does not take inputs that large yet.");
                }
            }
        }
        if (roles is null) throw new DatasetException("the input has no rows.");
        if (badTimes > 0)
        {
            if (badTimes > Math.Max(1, rows / 100))
                throw new DatasetException($"{badTimes:N0} of {rows:N0} rows have a timestamp that is not a date or time (for example '{badTimeExample}').");
            warnings.Add($"{badTimes:N0} rows had a timestamp that is not a date or time (for example '{badTimeExample}'); they were left out.");
        }
        foreach (var (id, count) in entityRows.Where(e => e.Value > 1).Take(10))
            warnings.Add($"entity {id} is on {count} rows; the last row's attributes are kept.");

        var entities = new List<WorldEntity>();
        var ordered = series.Values.OrderBy(s => s.Entity, StringComparer.Ordinal).ThenBy(s => s.Tag, StringComparer.Ordinal).ToList();
        foreach (var s in ordered) s.SortByTime();
        var described = new Dictionary<string, List<WorldSeries>>(StringComparer.Ordinal);
        await WriteArrowAsync(ordered, arrowOutput, inputContentHash, cancellationToken).ConfigureAwait(false);
        foreach (var s in ordered)
        {
            if (!described.TryGetValue(s.Entity, out var list)) described[s.Entity] = list = [];
            list.Add(Describe(s));
        }
        foreach (var id in described.Keys.Concat(attributes.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var attrs = attributes.TryGetValue(id, out var a)
                ? a.Select(kv =>
                {
                    var (_, unit) = UnitParser.Parse(kv.Key);
                    return new WorldAttribute(kv.Key, attributeTypes[kv.Key].Type, unit, kv.Value);
                }).ToList()
                : [];
            entities.Add(new WorldEntity { Id = id, Attributes = attrs, Series = described.GetValueOrDefault(id) ?? [] });
        }
        return new WorldStateManifest
        {
            InputContentHash = inputContentHash,
            Shape = shape!,
            Columns = roles.Where(r => r.Value != Role.Other).ToDictionary(r => r.Value.ToString().ToLowerInvariant(), r => r.Key),
            Timezone = zone.Id,
            Points = ordered.Sum(s => (long)s.Times.Count),
            Entities = entities,
            Warnings = warnings,
        };
    }

    private static void Add(Dictionary<(string, string), Series> all, string entity, string tag, long at, IArrowArray values, int row, string? quality)
    {
        if (!all.TryGetValue((entity, tag), out var s)) all[(entity, tag)] = s = new Series(entity, tag);
        if (at < s.LastTime) s.OutOfOrder++;
        else s.LastTime = at;
        s.Times.Add(at);
        s.Qualities.Add(quality);
        var (number, text, isBoolean) = Cells.Value(values, row);
        if (number is null && text is null)
        {
            s.Numbers.Add(double.NaN);
            s.Texts.Add(null);
            return;
        }
        s.AnyValue = true;
        s.AllNumbers &= number is not null && !isBoolean;
        s.AllBooleans &= isBoolean;
        s.Numbers.Add(number ?? double.NaN);
        s.Texts.Add(text);
    }

    /// <summary>Decides the shape and each column's part from the names and the first batch's values.</summary>
    private static (string Shape, Dictionary<string, Role> Roles, bool DayFirst) Plan(RecordBatch first, LiftOptions options)
    {
        var names = first.Schema.FieldsList.Select(f => f.Name).ToList();
        string? Given(string? name, string option)
        {
            if (name is null) return null;
            return names.Contains(name) ? name : throw new DatasetException($"{option}: the input has no column \"{name}\"; its columns are {string.Join(", ", names.Select(n => $"\"{n}\""))}.");
        }
        var stats = names.Select((n, i) => (Name: n, Norm: ColumnNameHints.Normalize(n), Tally: ColumnTally.Of(first.Column(i)))).ToList();
        string? Named(HashSet<string> words, Func<ColumnTally, bool> fits, params string?[] taken) =>
            stats.FirstOrDefault(s => words.Contains(s.Norm) && fits(s.Tally) && !taken.Contains(s.Name)).Name;

        // A column named like a time is the time even when some of its values are not (they are counted and reported).
        var namedTime = Given(options.TimestampColumn, "timestamp_column") ?? Named(TimeNames, t => t.TimeShare > 0);
        var time = namedTime ?? stats.FirstOrDefault(s => s.Tally.TimeShare >= 0.9 && !s.Tally.IsNumericColumn).Name;
        var entity = Given(options.EntityColumn, "entity_column") ?? Named(EntityNames, t => !t.IsNumericColumn || t.IsIntegerColumn, time);
        var tag = Given(options.TagColumn, "tag_column") ?? Named(TagNames, t => !t.IsNumericColumn, time, entity);
        var quality = Given(options.QualityColumn, "quality_column") ?? Named(QualityNames, _ => true, time, entity, tag);
        var value = Given(options.ValueColumn, "value_column") ?? Named(ValueNames, _ => true, time, entity, tag, quality);
        if (value is null && tag is not null)
        {
            var numeric = stats.Where(s => s.Name != time && s.Name != entity && s.Name != tag && s.Name != quality && s.Tally.IsNumericColumn).ToList();
            if (numeric.Count == 1) value = numeric[0].Name;
        }
        var shape = options.Shape switch
        {
            "long" => "long",
            "wide" or "wide_time" => time is null ? "wide_entity" : "wide_time",
            "wide_entity" => "wide_entity",
            _ => time is not null && tag is not null && value is not null ? "long"
                // One row per distinct entity, and no column named as the time: the dates are attributes.
                : namedTime is null && entity is not null && stats.First(s => s.Name == entity).Tally.AllDistinct ? "wide_entity"
                : time is not null ? "wide_time" : "wide_entity",
        };
        if (shape == "long" && (time is null || tag is null || value is null))
            throw new DatasetException($"shape long needs a timestamp, a tag and a value column; found timestamp {time ?? "none"}, tag {tag ?? "none"}, value {value ?? "none"} (name them with timestamp_column, tag_column, value_column).");
        var roles = names.ToDictionary(n => n, _ => Role.Other, StringComparer.Ordinal);
        if (shape != "wide_entity" && time is not null) roles[time] = Role.Timestamp;
        if (entity is not null) roles[entity] = Role.Entity;
        if (shape == "long")
        {
            roles[tag!] = Role.Tag;
            roles[value!] = Role.Value;
            if (quality is not null) roles[quality] = Role.Quality;
        }
        var dayFirst = time is not null && stats.First(s => s.Name == time).Tally.DayFirst;
        return (shape, roles, dayFirst);
    }

    private static WorldSeries Describe(Series s)
    {
        var times = s.Times;
        var deltas = new List<long>(Math.Max(0, times.Count - 1));
        long duplicates = 0;
        for (var i = 1; i < times.Count; i++)
        {
            var d = times[i] - times[i - 1];
            if (d == 0) duplicates++;
            else deltas.Add(d);
        }
        double? period = null;
        long gaps = 0;
        var longest = new List<WorldGap>();
        if (deltas.Count > 0)
        {
            var sorted = deltas.Order().ToArray();
            var median = sorted[sorted.Length / 2];
            period = median / 1e6;
            var gapList = new List<(long From, long To)>();
            for (var i = 1; i < times.Count; i++)
                if (times[i] - times[i - 1] > median * 3 / 2) gapList.Add((times[i - 1], times[i]));
            gaps = gapList.Count;
            longest = gapList.OrderByDescending(g => g.To - g.From).ThenBy(g => g.From).Take(5)
                .Select(g => new WorldGap(Iso(g.From), Iso(g.To), (g.To - g.From) / 1e6)).ToList();
        }
        var (name, unit) = UnitParser.Parse(s.Tag);
        var qualities = s.Qualities.Where(q => q is not null).GroupBy(q => q!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(20)
            .ToDictionary(g => g.Key, g => (long)g.Count());
        return new WorldSeries
        {
            Tag = s.Tag,
            Name = name,
            Unit = unit,
            Type = TypeOf(s),
            Points = times.Count,
            First = Iso(times[0]),
            Last = Iso(times[^1]),
            SamplingSeconds = period,
            Gaps = gaps,
            LongestGaps = longest,
            OutOfOrder = s.OutOfOrder,
            DuplicateTimestamps = duplicates,
            Quality = qualities.Count > 0 ? qualities : null,
        };
    }

    private static string TypeOf(Series s) => !s.AnyValue ? "empty" : s.AllBooleans ? "boolean" : s.AllNumbers ? "number" : "text";

    private static string Iso(long micros) => Contracts.UtcTimestamp.Format(DateTime.UnixEpoch.AddTicks(micros * 10));

    /// <summary>worldstate.arrow: one record batch per series in manifest order (entity, tag), points sorted by time.</summary>
    private static async Task WriteArrowAsync(IReadOnlyList<Series> all, Stream output, string inputContentHash, CancellationToken cancellationToken)
    {
        var writer = new WorldStateWriter(output, inputContentHash);
        var times = new long[WorldStateWriter.BatchRows];
        var numbers = new double[WorldStateWriter.BatchRows];
        var texts = new string?[WorldStateWriter.BatchRows];
        var qualities = new string?[WorldStateWriter.BatchRows];
        foreach (var s in all)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var numeric = s.AllNumbers || s.AllBooleans;
            for (var from = 0; from < s.Times.Count; from += WorldStateWriter.BatchRows)
            {
                var count = Math.Min(WorldStateWriter.BatchRows, s.Times.Count - from);
                for (var i = 0; i < count; i++)
                {
                    var number = s.Numbers[from + i];
                    times[i] = s.Times[from + i];
                    numbers[i] = numeric ? number : double.NaN;
                    texts[i] = numeric ? null : s.Texts[from + i] ?? (double.IsNaN(number) ? null : number.ToString("R", CultureInfo.InvariantCulture));
                    qualities[i] = s.Qualities[from + i];
                }
                await writer.WriteBatchAsync(s.Entity, s.Tag, times, numbers, texts, qualities, count, cancellationToken).ConfigureAwait(false);
            }
        }
        await writer.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a column's values look like, from a batch: enough to give it a part and a type.</summary>
    private sealed class ColumnTally
    {
        private long _values, _times, _numbers, _integers, _booleans, _dayFirstOnly, _monthFirstOnly;
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private bool _repeats;

        /// <summary>No value repeats (in the rows tallied).</summary>
        public bool AllDistinct => !_repeats && _values > 0;
        private bool _typedTime, _typedNumber, _typedInteger, _typedBoolean;

        public double TimeShare => _typedTime ? 1 : _values == 0 ? 0 : (double)_times / _values;
        public bool IsNumericColumn => _typedNumber || _values > 0 && _numbers >= _values * 0.9;
        public bool IsIntegerColumn => _typedInteger || _values > 0 && _integers >= _values * 0.9;
        public bool DayFirst => _dayFirstOnly > _monthFirstOnly;

        public string Type => _typedBoolean || _values > 0 && _booleans == _values ? "boolean"
            : IsNumericColumn && _numbers == _values ? "number"
            : TimeShare >= 1 ? "timestamp"
            : "text";

        public static ColumnTally Of(IArrowArray array)
        {
            var tally = new ColumnTally();
            for (var i = 0; i < Math.Min(array.Length, 2000); i++) tally.Add(array, i);
            return tally;
        }

        public void Add(IArrowArray array, int row)
        {
            switch (array)
            {
                case TimestampArray or Date32Array: _typedTime = true; return;
                case Int64Array: _typedNumber = _typedInteger = true; return;
                case DoubleArray: _typedNumber = true; return;
                case BooleanArray: _typedBoolean = true; return;
            }
            if (array is Int64Array ints && !ints.IsNull(row) && !_seen.Add(ints.GetValue(row)!.Value.ToString(CultureInfo.InvariantCulture))) _repeats = true;
            if (array is not StringArray text || text.IsNull(row)) return;
            if (!_seen.Add(text.GetString(row))) _repeats = true;
            var value = new ClassifiedValue();
            Span<DateReading> readings = stackalloc DateReading[2];
            ValueClassifier.Classify(text.GetBytes(row), ref value, readings);
            if (value.Missing) return;
            _values++;
            if ((value.Shape & (TextShape.Integer | TextShape.Decimal)) != 0) _numbers++;
            if ((value.Shape & TextShape.Integer) != 0) _integers++;
            if ((value.Shape & TextShape.Boolean) != 0) _booleans++;
            if (value.DateReadings > 0) _times++;
            if (value.DateReadings == 1 && DateParser.IsDayFirst(readings[0].FormatKey)) _dayFirstOnly++;
            if (value.DateReadings == 1 && DateParser.IsMonthFirst(readings[0].FormatKey)) _monthFirstOnly++;
        }
    }

    /// <summary>Reading cells of the analysis types as text, instants and values.</summary>
    private static class Cells
    {
        public static string? Text(IArrowArray array, int row) => array.IsNull(row) ? null : array switch
        {
            StringArray s => s.GetString(row).Trim() is var t && !ValueClassifier.IsMissingToken(Encoding.UTF8.GetBytes(t)) ? t : null,
            Int64Array i => i.GetValue(row)!.Value.ToString(CultureInfo.InvariantCulture),
            DoubleArray d => d.GetValue(row)!.Value.ToString("R", CultureInfo.InvariantCulture),
            BooleanArray b => b.GetValue(row)!.Value ? "true" : "false",
            TimestampArray t => Iso((t.GetTimestamp(row)!.Value.UtcTicks - DateTime.UnixEpoch.Ticks) / 10),
            Date32Array d => d.GetDateOnly(row)!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => null,
        };

        /// <summary>The cell's instant in UTC microseconds; written without a zone, it is read in <paramref name="zone"/>.</summary>
        public static long? Instant(IArrowArray array, int row, bool dayFirst, TimeZoneInfo zone)
        {
            if (array.IsNull(row)) return null;
            switch (array)
            {
                case TimestampArray t:
                    var instant = t.GetTimestamp(row)!.Value;
                    return (instant.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
                case Date32Array d:
                    return (long)(d.GetDateOnly(row)!.Value.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber) * 86_400_000_000;
                case StringArray s:
                    Span<DateReading> readings = stackalloc DateReading[2];
                    var bytes = s.GetBytes(row).Trim(" \t\r\n"u8);
                    var n = DateParser.Parse(bytes, readings);
                    if (n == 0) return null;
                    var reading = n == 2 && DateParser.IsDayFirst(readings[1].FormatKey) == dayFirst ? readings[1] : readings[0];
                    var micros = reading.EpochMicroseconds;
                    if (DateParser.HasZone(reading.FormatKey) || zone == TimeZoneInfo.Utc) return micros;
                    var local = DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(micros * 10), DateTimeKind.Unspecified);
                    // A wall-clock time skipped by a daylight-saving change is read an hour later.
                    if (zone.IsInvalidTime(local)) local = local.AddHours(1);
                    return (TimeZoneInfo.ConvertTimeToUtc(local, zone).Ticks - DateTime.UnixEpoch.Ticks) / 10;
                default:
                    return null;
            }
        }

        /// <summary>A value as a number (booleans as 1/0, flagged) or text; both null when missing.</summary>
        public static (double? Number, string? Text, bool IsBoolean) Value(IArrowArray array, int row)
        {
            if (array.IsNull(row)) return (null, null, false);
            switch (array)
            {
                case Int64Array i: return (i.GetValue(row), null, false);
                case DoubleArray d: return double.IsNaN(d.GetValue(row)!.Value) ? (null, null, false) : (d.GetValue(row), null, false);
                case BooleanArray b: return (b.GetValue(row)!.Value ? 1 : 0, null, true);
                case StringArray s:
                    var bytes = s.GetBytes(row).Trim(" \t\r\n"u8);
                    if (ValueClassifier.IsMissingToken(bytes)) return (null, null, false);
                    if (NumberParser.TryParse(bytes, out var number)) return (number.Value, null, false);
                    var text = Encoding.UTF8.GetString(bytes);
                    return text.ToLowerInvariant() switch
                    {
                        "true" or "on" or "open" or "yes" => (1, null, true),
                        "false" or "off" or "closed" or "no" => (0, null, true),
                        _ => (null, text, false),
                    };
                default:
                    return (null, Text(array, row), false);
            }
        }
    }
}
