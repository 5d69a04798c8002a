using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>ip_address</c>: a public-looking IPv4 address (first octet 1–223, never 10, 127, 169, 172 or 192).</summary>
public sealed class IpAddressGenerator : IColumnGenerator
{

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var text = chunk.Columns[columnIndex].Text;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            ulong first;
            do first = 1 + rng.NextBelow(223); while (first is 10 or 127 or 169 or 172 or 192);
            var span = text.Reserve(15);
            var n = AsciiFormat.WritePadded(span, first, 1);
            for (var octet = 0; octet < 3; octet++)
            {
                span[n++] = (byte)'.';
                n += AsciiFormat.WritePadded(span[n..], rng.NextBelow(256), 1);
            }
            text.Commit(n);
        }
    }
}
