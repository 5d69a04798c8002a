using System.Threading.Channels;
using Apache.Arrow;
using RadMah.Engine.Analysis.Sketches;
using RadMah.Engine.Datasets;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Analysis.Profiling;

/// <summary>How a profile is computed.</summary>
public sealed record ProfileOptions
{
    /// <summary>Seeds the sketches' coins and the row sample, so a rerun gives the same profile.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Columns profiled side by side.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Rows sampled uniformly (reservoir) for the pairwise associations; every row when the table is smaller.</summary>
    public int AssociationSampleRows { get; init; } = 50_000;

    /// <summary>Exact duplicate-row detection up to this many distinct rows, HyperLogLog beyond.</summary>
    public int ExactDuplicateRowLimit { get; init; } = 2_000_000;

    /// <summary>Called with rows read so far.</summary>
    public Action<long>? Progress { get; init; }

    /// <summary>Keep each column's distinct-value sample and Bloom filter (<see cref="ProfileResult.Columns"/>), for foreign keys across tables.</summary>
    public bool KeySignatures { get; init; }
}

/// <summary>A profile and, when asked for, the columns' key signatures.</summary>
public sealed record ProfileResult(DatasetProfile Profile, IReadOnlyList<ColumnProfiler> Columns);

/// <summary>
/// Profiles a table in one streaming pass: the reader fills a short queue of batches while each
/// batch's columns are profiled in parallel (each column in row order, so the result does not
/// depend on the parallelism), then a row step hashes rows for duplicates and keeps a seeded
/// reservoir sample of rows for the associations. Memory is bounded by the batch size, the
/// sketches and the sample, whatever the row count.
/// </summary>
public static class TableProfiler
{
    public static async Task<DatasetProfile> ProfileAsync(ITableReader reader, DatasetInfo dataset, ProfileOptions options, CancellationToken cancellationToken = default) =>
        (await ProfileWithColumnsAsync(reader, dataset, options, cancellationToken).ConfigureAwait(false)).Profile;

    public static async Task<ProfileResult> ProfileWithColumnsAsync(ITableReader reader, DatasetInfo dataset, ProfileOptions options, CancellationToken cancellationToken = default)
    {
        var state = new PassState(options);
        var queue = Channel.CreateBounded<TableBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    await queue.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                queue.Writer.Complete();
            }
            catch (Exception ex)
            {
                queue.Writer.Complete(ex);
            }
        }, cancellationToken);
        try
        {
            await foreach (var batch in queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                using (batch) state.Add(batch, cancellationToken);
                options.Progress?.Invoke(state.Rows);
            }
        }
        finally
        {
            // Drain what the reader still queued, so its pooled memory goes back.
            while (queue.Reader.TryRead(out var left)) left.Dispose();
            await producer.ConfigureAwait(false);
        }
        return new ProfileResult(state.Finish(reader, dataset), state.Columns);
    }

    private sealed class PassState(ProfileOptions options)
    {
        private readonly List<ColumnProfiler> _columns = [];
        private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
        private ulong[][] _hashes = [];
        private double[][] _numbers = [];
        private double[][] _instants = [];
        private readonly ulong _seed = SplitMix64.Mix64((ulong)options.Seed ^ 0x9E3779B97F4A7C15UL);

        private HashSet<ulong>? _rowHashes = [];
        private HyperLogLog? _rowSketch;
        private long _rowsWithDuplicatesExact;

        // The reservoir: per sampled row, each column's hash, number and instant.
        private readonly List<ulong[]> _sampleHashes = [];
        private readonly List<double[]> _sampleNumbers = [];
        private readonly List<double[]> _sampleInstants = [];
        private SplitMix64 _sampleRandom = new(SplitMix64.Mix64((ulong)options.Seed ^ 0x5851F42D4C957F2DUL));

        public long Rows { get; private set; }

        public IReadOnlyList<ColumnProfiler> Columns => _columns;

        public void Add(TableBatch batch, CancellationToken cancellationToken)
        {
            var data = batch.Data;
            var n = data.Length;
            var arrays = new IArrowArray[_columns.Count];
            for (var c = 0; c < data.Schema.FieldsList.Count; c++)
            {
                var name = data.Schema.FieldsList[c].Name;
                if (!_byName.TryGetValue(name, out var index))
                {
                    index = _columns.Count;
                    _byName[name] = index;
                    var profiler = new ColumnProfiler(name, index, SplitMix64.Mix64(_seed + (ulong)index), options.KeySignatures);
                    // A column that first appears now (JSON Lines) was missing in every earlier row.
                    if (Rows > 0) profiler.AddAbsent(Rows);
                    _columns.Add(profiler);
                    System.Array.Resize(ref arrays, _columns.Count);
                    GrowSamples();
                }
                arrays[index] = data.Column(c);
            }
            EnsureScratch(n);
            Parallel.For(0, _columns.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancellationToken }, c =>
            {
                if (arrays[c] is { } array) _columns[c].Add(array, _hashes[c].AsSpan(0, n), _numbers[c].AsSpan(0, n), _instants[c].AsSpan(0, n));
                else
                {
                    // Absent from this batch altogether.
                    _columns[c].AddAbsent(n);
                    _hashes[c].AsSpan(0, n).Clear();
                    _numbers[c].AsSpan(0, n).Fill(double.NaN);
                    _instants[c].AsSpan(0, n).Fill(double.NaN);
                }
            });
            AddRows(n);
            Rows += n;
        }

        private void GrowSamples()
        {
            var width = _columns.Count;
            for (var i = 0; i < _sampleHashes.Count; i++)
            {
                var h = _sampleHashes[i];
                System.Array.Resize(ref h, width);
                _sampleHashes[i] = h;
                var num = _sampleNumbers[i];
                System.Array.Resize(ref num, width);
                num[^1] = double.NaN;
                _sampleNumbers[i] = num;
                var ins = _sampleInstants[i];
                System.Array.Resize(ref ins, width);
                ins[^1] = double.NaN;
                _sampleInstants[i] = ins;
            }
        }

        private void EnsureScratch(int n)
        {
            if (_hashes.Length < _columns.Count || (_hashes.Length > 0 && _hashes[0].Length < n))
            {
                var size = Math.Max(n, _hashes.Length > 0 ? _hashes[0].Length : 0);
                _hashes = [.. Enumerable.Range(0, _columns.Count).Select(_ => new ulong[size])];
                _numbers = [.. Enumerable.Range(0, _columns.Count).Select(_ => new double[size])];
                _instants = [.. Enumerable.Range(0, _columns.Count).Select(_ => new double[size])];
            }
        }

        private void AddRows(int n)
        {
            var columns = _columns.Count;
            var k = options.AssociationSampleRows;
            for (var r = 0; r < n; r++)
            {
                var rowHash = 0x243F6A8885A308D3UL;
                for (var c = 0; c < columns; c++) rowHash = SplitMix64.Mix64(rowHash ^ _hashes[c][r]);
                if (_rowHashes is not null)
                {
                    if (!_rowHashes.Add(rowHash)) _rowsWithDuplicatesExact++;
                    else if (_rowHashes.Count > options.ExactDuplicateRowLimit)
                    {
                        _rowSketch = new HyperLogLog();
                        foreach (var h in _rowHashes) _rowSketch.Add(h);
                        _rowHashes = null;
                    }
                }
                else _rowSketch!.Add(rowHash);

                // Algorithm R: row i replaces a random slot with probability k / (i + 1).
                var global = Rows + r;
                int slot;
                if (global < k)
                {
                    _sampleHashes.Add(new ulong[columns]);
                    _sampleNumbers.Add(new double[columns]);
                    _sampleInstants.Add(new double[columns]);
                    slot = _sampleHashes.Count - 1;
                }
                else
                {
                    var j = (long)_sampleRandom.NextBelow((ulong)(global + 1));
                    if (j >= k) continue;
                    slot = (int)j;
                }
                var hashes = _sampleHashes[slot];
                var numbers = _sampleNumbers[slot];
                var instants = _sampleInstants[slot];
                for (var c = 0; c < columns; c++)
                {
                    hashes[c] = _hashes[c][r];
                    numbers[c] = _numbers[c][r];
                    instants[c] = _instants[c][r];
                }
            }
        }

        public DatasetProfile Finish(ITableReader reader, DatasetInfo dataset)
        {
            var decisions = _columns.Select(c =>
            {
                var hints = ColumnNameHints.Of(c.Name);
                return (Profiler: c, Hints: hints, Decision: TypeInference.Decide(c, hints));
            }).ToList();
            var columns = decisions.Select(d => ColumnSummaries.Build(d.Profiler, d.Hints, d.Decision)).ToList();
            var duplicates = _rowHashes is not null
                ? new CountEstimate(_rowsWithDuplicatesExact, true)
                : new CountEstimate(Math.Max(0, Rows - _rowSketch!.Estimate()), false);
            var keys = new List<KeyCandidate>();
            foreach (var (profiler, _, decision) in decisions)
            {
                if (profiler.MissingCount > 0 || Rows == 0) continue;
                if (decision.Type is not (SemanticTypes.Identifier or SemanticTypes.Integer or SemanticTypes.Email or SemanticTypes.Categorical or SemanticTypes.FreeText or SemanticTypes.Phone)) continue;
                var distinct = profiler.Distinct;
                if (distinct.Exact && distinct.Count == Rows) keys.Add(new KeyCandidate(profiler.Name, true));
                else if (!distinct.Exact && Math.Abs(distinct.Count - Rows) <= Rows * 0.02) keys.Add(new KeyCandidate(profiler.Name, false));
            }
            var associations = Associations.Compute(decisions.Select(d => (d.Profiler.Name, d.Decision.Type, d.Profiler.Distinct.Count)).ToList(),
                _sampleHashes, _sampleNumbers, _sampleInstants);
            return new DatasetProfile
            {
                Dataset = dataset,
                Reader = reader.Details.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(),
                Warnings = [.. reader.Warnings],
                Table = new TableProfile
                {
                    Rows = Rows,
                    ColumnCount = _columns.Count,
                    DuplicateRows = duplicates,
                    CandidatePrimaryKeys = keys,
                    Associations = associations,
                    AssociationRows = _sampleHashes.Count,
                },
                Columns = columns,
            };
        }
    }
}
