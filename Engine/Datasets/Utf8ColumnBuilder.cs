using System.Buffers;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace RadMah.Engine.Datasets;

/// <summary>
/// Builds one utf8 Arrow column from field bytes, in pooled arrays: values are appended to the
/// current field, a field is ended (valid or null), and a whole record can be rolled back when
/// the reader finds it cut off by the end of its buffer.
/// </summary>
public sealed class Utf8ColumnBuilder
{
    private byte[] _data;
    private int[] _offsets;
    private byte[] _validity;
    private int _length;
    private int _dataLength;
    private int _nulls;

    public Utf8ColumnBuilder(int capacity)
    {
        _data = ArrayPool<byte>.Shared.Rent(Math.Max(1024, capacity * 8));
        _offsets = ArrayPool<int>.Shared.Rent(capacity + 1);
        _validity = ArrayPool<byte>.Shared.Rent((capacity + 7) / 8);
        _offsets[0] = 0;
    }

    public int Length => _length;

    /// <summary>Where the column stands, to roll back to.</summary>
    public (int Length, int DataLength, int Nulls) Mark => (_length, _dataLength, _nulls);

    public void Rollback((int Length, int DataLength, int Nulls) mark) => (_length, _dataLength, _nulls) = mark;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_dataLength + bytes.Length > _data.Length) Grow(_dataLength + bytes.Length);
        bytes.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += bytes.Length;
    }

    public void Append(byte b)
    {
        if (_dataLength + 1 > _data.Length) Grow(_dataLength + 1);
        _data[_dataLength++] = b;
    }

    /// <summary>The bytes of field <paramref name="index"/> (ended fields only).</summary>
    public ReadOnlySpan<byte> Field(int index) => _data.AsSpan(_offsets[index], _offsets[index + 1] - _offsets[index]);

    public void EndField(bool isNull = false)
    {
        EnsureRow();
        if (isNull)
        {
            _dataLength = _offsets[_length];
            _validity[_length >> 3] &= (byte)~(1 << (_length & 7));
            _nulls++;
        }
        else _validity[_length >> 3] |= (byte)(1 << (_length & 7));
        _offsets[++_length] = _dataLength;
    }

    private void EnsureRow()
    {
        if (_length + 2 <= _offsets.Length && (_length >> 3) < _validity.Length) return;
        var offsets = ArrayPool<int>.Shared.Rent(_offsets.Length * 2);
        _offsets.AsSpan(0, _length + 1).CopyTo(offsets);
        ArrayPool<int>.Shared.Return(_offsets);
        _offsets = offsets;
        var validity = ArrayPool<byte>.Shared.Rent(_validity.Length * 2 + 1);
        _validity.AsSpan(0, (_length + 7) / 8).CopyTo(validity);
        ArrayPool<byte>.Shared.Return(_validity);
        _validity = validity;
    }

    private void Grow(int needed)
    {
        var data = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _data.Length * 2));
        _data.AsSpan(0, _dataLength).CopyTo(data);
        ArrayPool<byte>.Shared.Return(_data);
        _data = data;
    }

    /// <summary>
    /// The column so far as an Arrow array, in arrays rented for it (listed in <paramref name="rented"/>,
    /// to return when the batch is disposed); the builder starts empty again.
    /// </summary>
    public StringArray Build(List<byte[]> rented)
    {
        var n = _length;
        var offsetBytes = ArrayPool<byte>.Shared.Rent(Math.Max(1, (n + 1) * 4));
        MemoryMarshal.AsBytes(_offsets.AsSpan(0, n + 1)).CopyTo(offsetBytes);
        var values = ArrayPool<byte>.Shared.Rent(Math.Max(1, _dataLength));
        _data.AsSpan(0, _dataLength).CopyTo(values);
        rented.Add(offsetBytes);
        rented.Add(values);
        var validity = ArrowBuffer.Empty;
        if (_nulls > 0)
        {
            var bits = ArrayPool<byte>.Shared.Rent((n + 7) / 8);
            _validity.AsSpan(0, (n + 7) / 8).CopyTo(bits);
            rented.Add(bits);
            validity = new ArrowBuffer(bits.AsMemory(0, (n + 7) / 8));
        }
        var array = new StringArray(new ArrayData(StringType.Default, n, _nulls, 0,
            [validity, new ArrowBuffer(offsetBytes.AsMemory(0, (n + 1) * 4)), new ArrowBuffer(values.AsMemory(0, _dataLength))]));
        _length = 0;
        _dataLength = 0;
        _nulls = 0;
        return array;
    }

    /// <summary>Gives the builder's own arrays back to the pool.</summary>
    public void Release()
    {
        ArrayPool<byte>.Shared.Return(_data);
        ArrayPool<int>.Shared.Return(_offsets);
        ArrayPool<byte>.Shared.Return(_validity);
        _data = [];
        _offsets = [0];
        _validity = [];
    }
}
