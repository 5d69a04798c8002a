using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Tables;
using RadMah.Engine.Synthesis.Transformers;

namespace RadMah.Neural;

/// <summary>
/// CTGAN's conditional vector and training-by-sampling (its DataSampler): a category column is
/// picked uniformly, then one of its categories with probability proportional to the log of its
/// frequency (or the frequency), and real rows are drawn among those holding that category. The
/// conditional vector is the one-hot of the pick over all category columns' categories.
/// </summary>
public sealed class ConditionSampler
{
    private readonly EncodedSpan[] _spans;
    private readonly int[] _offsets;
    private readonly double[][] _probabilities;
    private readonly int[][][]? _rowsByCategory;

    /// <summary>
    /// From the training columns (rows by category are kept for training), or, to sample a stored
    /// model, from its saved <paramref name="probabilities"/>.
    /// </summary>
    public ConditionSampler(TabularEncoding encoding, IReadOnlyList<TableColumn>? table, bool logFrequency, double[][]? probabilities = null)
    {
        _spans = [.. encoding.CategorySpans];
        _offsets = new int[_spans.Length];
        for (var k = 1; k < _spans.Length; k++) _offsets[k] = _offsets[k - 1] + _spans[k - 1].Width;
        Width = _spans.Sum(s => s.Width);
        if (probabilities is not null)
        {
            if (probabilities.Length != _spans.Length || probabilities.Where((p, k) => p.Length != _spans[k].Width).Any())
                throw new FormatException("the condition probabilities do not match the encoding's categories.");
            _probabilities = probabilities;
            return;
        }
        ArgumentNullException.ThrowIfNull(table);
        _probabilities = new double[_spans.Length][];
        _rowsByCategory = new int[_spans.Length][][];
        for (var k = 0; k < _spans.Length; k++)
        {
            var span = _spans[k];
            var column = (CategoricalColumn)table[span.Column];
            var lists = Enumerable.Range(0, span.Width).Select(_ => new List<int>()).ToArray();
            // The one-hot's position: the category's code, null last (as TabularEncoding lays it out).
            for (var r = 0; r < column.Length; r++)
                lists[column.Codes[r] == CategoricalColumn.Null ? column.Categories.Length : column.Codes[r]].Add(r);
            _rowsByCategory[k] = [.. lists.Select(l => l.ToArray())];
            var weights = lists.Select(l => logFrequency ? Math.Log(l.Count + 1) : l.Count).ToArray();
            var total = weights.Sum();
            _probabilities[k] = [.. weights.Select(w => w / total)];
        }
    }

    /// <summary>Floats of the conditional vector (0 when the table has no category column).</summary>
    public int Width { get; }

    /// <summary>Category columns that can be conditioned on.</summary>
    public int Columns => _spans.Length;

    /// <summary>Each category column's pick probabilities (model.json keeps them for sampling).</summary>
    public double[][] Probabilities => _probabilities;

    /// <summary>
    /// A training batch's conditions: for each row the one-hot <paramref name="condition"/>, the column
    /// picked in <paramref name="mask"/>, and the (column, category) pairs.
    /// </summary>
    public (int Column, int Category)[] SampleTraining(int batch, ref SplitMix64 random, Span<float> condition, Span<float> mask)
    {
        var picks = new (int, int)[batch];
        condition.Clear();
        mask.Clear();
        for (var i = 0; i < batch; i++)
        {
            var column = (int)random.NextBelow((ulong)_spans.Length);
            var category = Pick(_probabilities[column], random.NextDouble());
            condition[i * Width + _offsets[column] + category] = 1;
            mask[i * _spans.Length + column] = 1;
            picks[i] = (column, category);
        }
        return picks;
    }

    /// <summary>A real row holding each pick's category (uniform among them).</summary>
    public int[] RealRows(IReadOnlyList<(int Column, int Category)> picks, ref SplitMix64 random)
    {
        var rows = _rowsByCategory ?? throw new InvalidOperationException("this sampler was read for sampling and holds no training rows.");
        var chosen = new int[picks.Count];
        for (var i = 0; i < picks.Count; i++)
        {
            var candidates = rows[picks[i].Column][picks[i].Category];
            chosen[i] = candidates[(int)random.NextBelow((ulong)candidates.Length)];
        }
        return chosen;
    }

    /// <summary>
    /// A sampling row's condition, as CTGAN's sample_original_condvec draws it: one (column, category)
    /// over all category columns, weighted by each column's pick probabilities; returns its position in the conditional vector.
    /// </summary>
    public int SampleOriginal(ref SplitMix64 random)
    {
        var u = random.NextDouble() * _spans.Length;
        var column = Math.Min(_spans.Length - 1, (int)u);
        return _offsets[column] + Pick(_probabilities[column], u - column);
    }

    /// <summary>Offset of each category column's block in the conditional vector, and its width.</summary>
    public IEnumerable<(int Offset, EncodedSpan Span)> Blocks => _spans.Select((s, k) => (_offsets[k], s));

    private static int Pick(double[] probabilities, double u)
    {
        for (var j = 0; j < probabilities.Length; j++)
        {
            u -= probabilities[j];
            if (u < 0) return j;
        }
        return probabilities.Length - 1;
    }
}
