using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>uuid</c>: a random (version 4, RFC 9562) UUID per row in lower-case 8-4-4-4-12 form.</summary>
public sealed class UuidGenerator : IColumnGenerator
{
    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var text = chunk.Columns[columnIndex].Text;
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            BitConverter.TryWriteBytes(bytes, rng.NextUInt64());
            BitConverter.TryWriteBytes(bytes[8..], rng.NextUInt64());
            bytes[6] = (byte)(bytes[6] & 0x0F | 0x40);
            bytes[8] = (byte)(bytes[8] & 0x3F | 0x80);
            var span = text.Reserve(36);
            var p = 0;
            for (var b = 0; b < 16; b++)
            {
                if (b is 4 or 6 or 8 or 10) span[p++] = (byte)'-';
                span[p++] = Hex[bytes[b] >> 4];
                span[p++] = Hex[bytes[b] & 15];
            }
            text.Commit(36);
        }
    }
}
