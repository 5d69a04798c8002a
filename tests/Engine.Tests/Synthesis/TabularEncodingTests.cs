using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Tables;
using RadMah.Engine.Synthesis.Transformers;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>The neural models' data transformer: spans as CTGAN lays them out, and a round trip back to the table.</summary>
public sealed class TabularEncodingTests
{
    private static TableColumn[] Table(int rows)
    {
        var key = SplitMix64.SeedKey(4);
        var amount = new double[rows];
        var visits = new double[rows];
        var plan = new string?[rows];
        for (var i = 0; i < rows; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            amount[i] = Math.Round(rng.NextDouble() < 0.5 ? 20 + 3 * rng.NextGaussian() : 80 + 5 * rng.NextGaussian(), 2);
            visits[i] = i % 17 == 0 ? double.NaN : Math.Round(3 + 2 * rng.NextDouble());
            plan[i] = i % 11 == 0 ? null : (rng.NextDouble() < 0.7 ? "basic" : "pro");
        }
        return
        [
            new NumericColumn("amount", amount, NumericRole.Decimal, 2),
            new NumericColumn("visits", visits, NumericRole.Integer),
            CategoricalColumn.FromValues("plan", plan),
        ];
    }

    [Fact]
    public void Each_column_gets_its_spans_and_a_row_encodes_one_choice_per_one_hot()
    {
        var table = Table(2_000);
        var encoding = TabularEncoding.Fit(table, seed: 1);
        // amount: scalar + modes; visits: scalar + modes + null flag; plan: basic, pro, null.
        Assert.Equal([SpanKind.Scalar, SpanKind.OneHot, SpanKind.Scalar, SpanKind.OneHot, SpanKind.OneHot, SpanKind.OneHot], encoding.Spans.Select(s => s.Kind));
        Assert.Equal(2, encoding.Spans[4].Width);
        Assert.Equal(3, encoding.Spans[5].Width);
        Assert.Equal(encoding.Spans.Sum(s => s.Width), encoding.Width);
        var matrix = encoding.Encode(table, seed: 2);
        for (var r = 0; r < 2_000; r++)
            foreach (var span in encoding.Spans.Where(s => s.Kind == SpanKind.OneHot))
                Assert.Equal(1f, matrix.AsSpan(r * encoding.Width + span.Start, span.Width).ToArray().Sum());
    }

    [Fact]
    public void Rows_encoded_a_block_at_a_time_are_the_rows_of_the_whole_encoding()
    {
        var table = Table(1_000);
        var encoding = TabularEncoding.Fit(table, seed: 4);
        var whole = encoding.Encode(table, seed: 9);
        var block = new float[250 * encoding.Width];
        encoding.EncodeRows(table, seed: 9, firstRow: 500, count: 250, block);
        Assert.Equal(whole.AsSpan(500 * encoding.Width, 250 * encoding.Width).ToArray(), block);
    }

    [Fact]
    public void Decoding_an_encoding_gives_the_table_back()
    {
        var table = Table(2_000);
        var encoding = TabularEncoding.Fit(table, seed: 1);
        var decoded = encoding.Decode(encoding.Encode(table, seed: 2), 2_000);
        Assert.Equal(((CategoricalColumn)table[2]).Codes, ((CategoricalColumn)decoded[2]).Codes);
        for (var c = 0; c < 2; c++)
        {
            var (real, back) = (((NumericColumn)table[c]).Values, ((NumericColumn)decoded[c]).Values);
            for (var r = 0; r < real.Length; r++)
            {
                if (double.IsNaN(real[r])) Assert.True(double.IsNaN(back[r]));
                // Float scalars and clipping at ±3.96 deviations of a mode bound the error; most values come back exactly.
                else Assert.InRange(back[r], real[r] - 1, real[r] + 1);
            }
            Assert.True(real.Zip(back).Count(p => p.First.Equals(p.Second)) > real.Length * 0.95, $"column {c}: too few exact round trips");
        }
        Assert.Equal(encoding.Encode(table, seed: 2), encoding.Encode(table, seed: 2));
    }
}
