using System.Text.Json.Nodes;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Transformers;

/// <summary>How a block of the encoded row is activated by a network's output: a scalar in (−1, 1) or a one-hot choice.</summary>
public enum SpanKind
{
    /// <summary>tanh: a mode-specific scalar.</summary>
    Scalar,
    /// <summary>softmax (Gumbel-softmax in CTGAN): a mode, a category, or null versus present.</summary>
    OneHot,
}

/// <summary>One block of the encoded row: which column it belongs to, its activation, where it starts and how wide it is.</summary>
public sealed record EncodedSpan(int Column, SpanKind Kind, int Start, int Width);

/// <summary>
/// CTGAN's and TVAE's data transformer: a table as a matrix of floats, one row per table row. A
/// numeric column (dates and times included) becomes its mode-specific scalar and the one-hot of its
/// mode (<see cref="ModeSpecificNormalizer"/>), plus a present/null one-hot when it has nulls, so
/// nulls are learned with the rest; a category becomes the one-hot of its value, null being one of
/// them. Decoding takes each one-hot's largest entry and inverts the scalars.
/// </summary>
public sealed class TabularEncoding
{
    private readonly TableColumn[] _templates;
    private readonly ModeSpecificNormalizer?[] _normalizers;
    private readonly bool[] _nullable;

    private readonly (double Min, double Max)[] _ranges;

    private TabularEncoding(TableColumn[] templates, ModeSpecificNormalizer?[] normalizers, bool[] nullable, (double Min, double Max)[] ranges, IReadOnlyList<EncodedSpan> spans)
    {
        _templates = templates;
        _normalizers = normalizers;
        _nullable = nullable;
        _ranges = ranges;
        Spans = spans;
        Width = spans.Count == 0 ? 0 : spans[^1].Start + spans[^1].Width;
    }

    public IReadOnlyList<EncodedSpan> Spans { get; }

    /// <summary>Floats per encoded row.</summary>
    public int Width { get; }

    /// <summary>
    /// Fits the encoding to the training columns: a mixture per numeric column (seeded), the
    /// categories as they are. Decoded numbers stay within each column's training range, as SDV's
    /// synthesizers keep them by default.
    /// </summary>
    public static TabularEncoding Fit(IReadOnlyList<TableColumn> columns, long seed, int maxModes = 10)
    {
        var normalizers = new ModeSpecificNormalizer?[columns.Count];
        var nullable = new bool[columns.Count];
        var ranges = new (double, double)[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            switch (columns[c])
            {
                case NumericColumn numeric:
                    nullable[c] = numeric.NullCount > 0;
                    if (numeric.NullCount == numeric.Length) throw new ArgumentException($"column '{numeric.Name}' has no value to encode.");
                    normalizers[c] = ModeSpecificNormalizer.Fit(numeric.Values, seed + c, maxModes);
                    var present = numeric.Values.Where(v => !double.IsNaN(v)).ToArray();
                    ranges[c] = (present.Min(), present.Max());
                    break;
                case CategoricalColumn categorical:
                    nullable[c] = categorical.NullCount > 0;
                    break;
            }
        }
        var templates = columns.Select(Template).ToArray();
        return new TabularEncoding(templates, normalizers, nullable, ranges, SpansOf(templates, normalizers, nullable));
    }

    private static TableColumn Template(TableColumn column) => column switch
    {
        NumericColumn n => new NumericColumn(n.Name, [], n.Role, n.Decimals),
        CategoricalColumn k => new CategoricalColumn(k.Name, [], k.Categories, k.IsBoolean),
        _ => throw new ArgumentException($"column '{column.Name}' is neither numbers nor categories."),
    };

    private static List<EncodedSpan> SpansOf(TableColumn[] templates, ModeSpecificNormalizer?[] normalizers, bool[] nullable)
    {
        var spans = new List<EncodedSpan>();
        var start = 0;
        void Add(int column, SpanKind kind, int width)
        {
            spans.Add(new EncodedSpan(column, kind, start, width));
            start += width;
        }
        for (var c = 0; c < templates.Length; c++)
        {
            switch (templates[c])
            {
                case NumericColumn:
                    Add(c, SpanKind.Scalar, 1);
                    Add(c, SpanKind.OneHot, normalizers[c]!.Modes);
                    if (nullable[c]) Add(c, SpanKind.OneHot, 2);
                    break;
                case CategoricalColumn categorical:
                    Add(c, SpanKind.OneHot, categorical.Categories.Length + (nullable[c] ? 1 : 0));
                    break;
            }
        }
        return spans;
    }

    /// <summary>The encoded columns, as empty columns of their type (names, roles, categories).</summary>
    public IReadOnlyList<TableColumn> Columns => _templates;

    /// <summary>The spans that are a category column's one-hot (CTGAN conditions on these).</summary>
    public IReadOnlyList<EncodedSpan> CategorySpans => [.. Spans.Where(s => _templates[s.Column] is CategoricalColumn)];

    public JsonObject ToJson() => new()
    {
        ["columns"] = new JsonArray([.. _templates.Select((t, c) => (JsonNode)(t switch
        {
            NumericColumn n => new JsonObject
            {
                ["name"] = n.Name,
                ["type"] = "number",
                ["role"] = n.Role.ToString().ToLowerInvariant(),
                ["decimals"] = n.Decimals,
                ["nullable"] = _nullable[c],
                ["min"] = _ranges[c].Min,
                ["max"] = _ranges[c].Max,
                ["modes"] = _normalizers[c]!.ToJson(),
            },
            CategoricalColumn k => new JsonObject
            {
                ["name"] = k.Name,
                ["type"] = "category",
                ["categories"] = new JsonArray([.. k.Categories.Select(v => (JsonNode)v)]),
                ["boolean"] = k.IsBoolean,
                ["nullable"] = _nullable[c],
            },
            _ => throw new InvalidOperationException(),
        }))]),
    };

    public static TabularEncoding FromJson(JsonObject json)
    {
        var columns = json["columns"]!.AsArray().Select(c => c!.AsObject()).ToArray();
        var templates = new TableColumn[columns.Length];
        var normalizers = new ModeSpecificNormalizer?[columns.Length];
        var nullable = new bool[columns.Length];
        var ranges = new (double, double)[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var column = columns[c];
            var name = column["name"]!.GetValue<string>();
            nullable[c] = column["nullable"]!.GetValue<bool>();
            switch (column["type"]!.GetValue<string>())
            {
                case "number":
                    if (!Enum.TryParse<NumericRole>(column["role"]!.GetValue<string>(), ignoreCase: true, out var role)) throw new FormatException($"column '{name}' has an unknown role.");
                    templates[c] = new NumericColumn(name, [], role, column["decimals"]?.GetValue<int>());
                    normalizers[c] = ModeSpecificNormalizer.FromJson(column["modes"]!.AsObject());
                    ranges[c] = (column["min"]!.GetValue<double>(), column["max"]!.GetValue<double>());
                    break;
                case "category":
                    templates[c] = new CategoricalColumn(name, [], [.. column["categories"]!.AsArray().Select(v => v!.GetValue<string>())], column["boolean"]!.GetValue<bool>());
                    break;
                default:
                    throw new FormatException($"column '{name}' has an unknown type.");
            }
        }
        return new TabularEncoding(templates, normalizers, nullable, ranges, SpansOf(templates, normalizers, nullable));
    }

    /// <summary>Encodes the table's rows (row-major, <see cref="Width"/> floats each); mode draws are seeded per row.</summary>
    public float[] Encode(IReadOnlyList<TableColumn> table, long seed)
    {
        var rows = table.Count == 0 ? 0 : table[0].Length;
        var matrix = new float[(long)rows * Width];
        EncodeRows(table, seed, 0, rows, matrix);
        return matrix;
    }

    /// <summary>
    /// Encodes rows [<paramref name="firstRow"/>, firstRow + count) into <paramref name="destination"/>
    /// (row-major, zeroed by the caller), exactly as <see cref="Encode"/> encodes them: a large table is
    /// encoded a block at a time into a network's own memory without a second whole copy.
    /// </summary>
    public void EncodeRows(IReadOnlyList<TableColumn> table, long seed, int firstRow, int count, Span<float> destination)
    {
        var key = SplitMix64.SeedKey(unchecked((ulong)seed) ^ 0x656E636F6465UL);
        for (var i = 0; i < count; i++)
        {
            var r = firstRow + i;
            var row = destination.Slice(i * Width, Width);
            var s = 0;
            for (var c = 0; c < table.Count; c++)
            {
                switch (table[c])
                {
                    case NumericColumn numeric:
                    {
                        var value = numeric.Values[r];
                        var normalizer = _normalizers[c]!;
                        var (scalar, mode) = double.IsNaN(value) ? (0.0, 0) : normalizer.Transform(value, r, SplitMix64.Mix64(key + (ulong)c));
                        row[Spans[s].Start] = (float)scalar;
                        row[Spans[s + 1].Start + mode] = 1;
                        s += 2;
                        if (_nullable[c])
                        {
                            row[Spans[s].Start + (double.IsNaN(value) ? 1 : 0)] = 1;
                            s++;
                        }
                        break;
                    }
                    case CategoricalColumn categorical:
                    {
                        var code = categorical.Codes[r];
                        row[Spans[s].Start + (code == CategoricalColumn.Null ? categorical.Categories.Length : code)] = 1;
                        s++;
                        break;
                    }
                }
            }
        }
    }

    /// <summary>Decodes rows (activated network output or an encoding) back into columns like the fitted ones.</summary>
    public IReadOnlyList<TableColumn> Decode(ReadOnlySpan<float> matrix, int rows)
    {
        if (matrix.Length < (long)rows * Width) throw new ArgumentException($"{rows} rows of {Width} floats need {(long)rows * Width} values.");
        var outputs = _templates.Select<TableColumn, TableColumn>(t => t switch
        {
            NumericColumn n => new NumericColumn(n.Name, new double[rows], n.Role, n.Decimals),
            CategoricalColumn k => new CategoricalColumn(k.Name, new int[rows], k.Categories, k.IsBoolean),
            _ => throw new InvalidOperationException(),
        }).ToArray();
        for (var r = 0; r < rows; r++)
        {
            var row = matrix.Slice(r * Width, Width);
            var s = 0;
            for (var c = 0; c < outputs.Length; c++)
            {
                switch (outputs[c])
                {
                    case NumericColumn numeric:
                    {
                        var scalar = row[Spans[s].Start];
                        var mode = ArgMax(row.Slice(Spans[s + 1].Start, Spans[s + 1].Width));
                        var value = Math.Clamp(_normalizers[c]!.Inverse(scalar, mode), _ranges[c].Min, _ranges[c].Max);
                        s += 2;
                        if (_nullable[c])
                        {
                            if (ArgMax(row.Slice(Spans[s].Start, 2)) == 1) value = double.NaN;
                            s++;
                        }
                        numeric.Values[r] = RoundTo(value, numeric.Decimals);
                        break;
                    }
                    case CategoricalColumn categorical:
                    {
                        var index = ArgMax(row.Slice(Spans[s].Start, Spans[s].Width));
                        categorical.Codes[r] = index == categorical.Categories.Length ? CategoricalColumn.Null : index;
                        s++;
                        break;
                    }
                }
            }
        }
        return outputs;
    }

    private static double RoundTo(double value, int? decimals) =>
        double.IsNaN(value) || decimals is not { } d ? value : Math.Round(value, Math.Clamp(d, 0, 15), MidpointRounding.ToEven);

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
