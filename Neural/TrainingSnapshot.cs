using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace RadMah.Neural;

/// <summary>
/// A training's whole state as bytes, for a checkpoint: the family, the epochs done, the loss curves so
/// far, every weight and buffer, the optimizers' moments and steps, and the random generators'
/// positions. Restoring it and training on gives what the uninterrupted training would have.
/// </summary>
internal static class TrainingSnapshot
{
    private const string Magic = "radmah.checkpoint/1";

    public sealed class Writer : IDisposable
    {
        private readonly MemoryStream _buffer = new();
        private readonly BinaryWriter _writer;

        public Writer(string family, int epoch)
        {
            _writer = new BinaryWriter(_buffer, Encoding.UTF8, leaveOpen: true);
            _writer.Write(Magic);
            _writer.Write(family);
            _writer.Write(epoch);
        }

        public Writer Losses(IReadOnlyList<double> values)
        {
            _writer.Write(values.Count);
            foreach (var v in values) _writer.Write(v);
            return this;
        }

        public Writer Network(IEnumerable<(string, Tensor)> tensors)
        {
            var bytes = NetworkState.Save(tensors);
            _writer.Write(bytes.Length);
            _writer.Write(bytes);
            return this;
        }

        public Writer Optimizer(AdamOptimizer optimizer, string name)
        {
            _writer.Write(optimizer.Steps);
            return Network(optimizer.State(name));
        }

        public Writer Generator(torch.Generator generator)
        {
            using var state = generator.get_state();
            var bytes = state.data<byte>().ToArray();
            _writer.Write(bytes.Length);
            _writer.Write(bytes);
            return this;
        }

        public Writer Stream(ulong state)
        {
            _writer.Write(state);
            return this;
        }

        public byte[] ToArray()
        {
            _writer.Flush();
            return _buffer.ToArray();
        }

        public void Dispose()
        {
            _writer.Dispose();
            _buffer.Dispose();
        }
    }

    public sealed class Reader : IDisposable
    {
        private readonly BinaryReader _reader;

        public Reader(byte[] bytes, string family)
        {
            _reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            if (_reader.ReadString() != Magic) throw new FormatException("not a training checkpoint of this build.");
            var saved = _reader.ReadString();
            if (saved != family) throw new FormatException($"the checkpoint is of a {saved} training, not {family}.");
            Epoch = _reader.ReadInt32();
        }

        /// <summary>Epochs done when the checkpoint was saved.</summary>
        public int Epoch { get; }

        /// <summary>Replaces <paramref name="curve"/> with the saved losses.</summary>
        public void Losses(List<double> curve)
        {
            curve.Clear();
            var count = _reader.ReadInt32();
            for (var i = 0; i < count; i++) curve.Add(_reader.ReadDouble());
        }

        public void Network(IEnumerable<(string, Tensor)> tensors) => NetworkState.Load(tensors, _reader.ReadBytes(_reader.ReadInt32()));

        public void Optimizer(AdamOptimizer optimizer, string name)
        {
            var steps = _reader.ReadInt64();
            Network(optimizer.State(name));
            optimizer.Restore(steps);
        }

        public void Generator(torch.Generator generator)
        {
            var bytes = _reader.ReadBytes(_reader.ReadInt32());
            using var state = torch.tensor(bytes, dtype: ScalarType.Byte);
            generator.set_state(state);
        }

        public ulong Stream() => _reader.ReadUInt64();

        public void Dispose() => _reader.Dispose();
    }
}
