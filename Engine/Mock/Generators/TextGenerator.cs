using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary>
/// <c>text</c>: free text of <c>min_words</c> to <c>max_words</c> words (uniform) from a fixed
/// neutral vocabulary, first word capitalised, ending with a full stop. It stands in for notes and
/// comments in look-alike data: their length is kept, their content never copied.
/// </summary>
public sealed class TextGenerator : IColumnGenerator
{
    private static readonly byte[][] Words =
    [
        .. "the order was delivered on time and the customer asked for a new invoice after the first payment failed because the card had expired so support called back twice during the week to confirm the address the package arrived damaged and was replaced with a newer model at no extra cost please note that the account remains active until the end of the month when the plan changes to the standard rate the team reviewed the request and approved it with a small discount for the delay"
            .Split(' ').Distinct().Select(Encoding.UTF8.GetBytes),
    ];

    private readonly int _min, _max;

    public TextGenerator(ColumnSpec spec)
    {
        _min = (int)spec.GetInteger("min_words");
        _max = (int)spec.GetInteger("max_words");
        if (_min < 1 || _max < _min || _max > 500) throw new ContractException($"Column '{spec.Name}': needs 1 ≤ min_words ≤ max_words ≤ 500.");
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var text = chunk.Columns[columnIndex].Text;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            var count = (int)rng.NextInRange(_min, _max);
            var span = text.Reserve(count * 14 + 1);
            var p = 0;
            for (var w = 0; w < count; w++)
            {
                if (w > 0) span[p++] = (byte)' ';
                var word = Words[rng.NextBelow((ulong)Words.Length)];
                word.CopyTo(span[p..]);
                if (w == 0) span[p] = (byte)char.ToUpperInvariant((char)span[p]);
                p += word.Length;
            }
            span[p++] = (byte)'.';
            text.Commit(p);
        }
    }
}
