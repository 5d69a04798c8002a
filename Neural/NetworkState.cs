using System.Buffers.Binary;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace RadMah.Neural;

/// <summary>
/// A network's float tensors as bytes, for model.json: for each tensor in order, its name, shape and
/// float32 values (little-endian). Equal weights give equal bytes, so the model digest follows the
/// weights. Loading checks every name and shape against the network it fills.
/// </summary>
public static class NetworkState
{
    private static readonly byte[] Magic = "RMNN1\n"u8.ToArray();

    public static byte[] Save(IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        using var buffer = new MemoryStream();
        buffer.Write(Magic);
        using var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true);
        foreach (var (name, tensor) in tensors)
        {
            if (tensor.dtype != ScalarType.Float32) continue;
            using var cpu = tensor.detach().cpu().contiguous();
            writer.Write(name);
            writer.Write((byte)cpu.shape.Length);
            foreach (var d in cpu.shape) writer.Write(d);
            var values = cpu.data<float>().ToArray();
            var bytes = new byte[values.Length * 4];
            for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
            writer.Write(bytes);
        }
        writer.Flush();
        return buffer.ToArray();
    }

    /// <summary>Copies saved values into <paramref name="tensors"/> (matched by name); every float tensor must be there, with its shape.</summary>
    public static void Load(IEnumerable<(string Name, Tensor Tensor)> tensors, byte[] bytes)
    {
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)) throw new FormatException("the network weights are not in this build's format.");
        var targets = tensors.Where(t => t.Tensor.dtype == ScalarType.Float32).ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
        var filled = new HashSet<string>(StringComparer.Ordinal);
        using var reader = new BinaryReader(new MemoryStream(bytes, Magic.Length, bytes.Length - Magic.Length), Encoding.UTF8);
        using var _ = torch.no_grad();
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var name = reader.ReadString();
            var shape = new long[reader.ReadByte()];
            for (var i = 0; i < shape.Length; i++) shape[i] = reader.ReadInt64();
            var count = shape.Aggregate(1L, (a, b) => a * b);
            if (count < 0 || count * 4 > reader.BaseStream.Length - reader.BaseStream.Position) throw new FormatException($"tensor '{name}' is cut short.");
            var values = new float[count];
            var raw = reader.ReadBytes(checked((int)count * 4));
            for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4));
            if (!targets.TryGetValue(name, out var target)) throw new FormatException($"the weights hold '{name}', which the network does not have.");
            if (!target.shape.SequenceEqual(shape)) throw new FormatException($"'{name}' is [{string.Join(", ", shape)}] in the weights and [{string.Join(", ", target.shape)}] in the network.");
            using var source = torch.tensor(values, shape);
            target.copy_(source);
            filled.Add(name);
        }
        var missing = targets.Keys.Where(k => !filled.Contains(k)).ToArray();
        if (missing.Length > 0) throw new FormatException($"the weights lack {string.Join(", ", missing)}.");
    }

    /// <summary>A module's state (parameters and buffers) under a name prefix.</summary>
    public static IEnumerable<(string, Tensor)> Of(string prefix, nn.Module module) =>
        module.state_dict().Select(kv => (prefix + kv.Key, kv.Value));
}
