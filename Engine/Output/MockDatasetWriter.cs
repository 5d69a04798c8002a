using System.Collections.Concurrent;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;

namespace RadMah.Engine.Output;

/// <summary>
/// Streams a mock contract's rows (a model's samples among them) to CSV and/or an Arrow IPC file.
/// Workers generate and encode chunks in parallel; one loop writes them strictly in chunk order. At
/// most 2 × Parallelism chunks are in flight, so memory stays bounded whatever the row count.
/// </summary>
public static class MockDatasetWriter
{
    public static async Task WriteAsync(MockContract contract, Stream? csv, Stream? arrow, DatasetWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DatasetWriteOptions();
        if (csv is null && arrow is null) throw new ArgumentException("Give at least one output stream.");
        var generator = new MockDatasetGenerator(contract);
        var csvEncoder = csv is null ? null : new CsvChunkEncoder(contract.Columns);
        var arrowBuilder = arrow is null ? null : new ArrowChunkBuilder(contract.Columns, options.ArrowMetadata);
        var chunkCount = generator.ChunkCount;
        var workers = Math.Clamp(options.Parallelism, 1, Math.Max(1, chunkCount));
        var slots = new TaskCompletionSource<EncodedChunk>[chunkCount];
        for (var i = 0; i < chunkCount; i++) slots[i] = new TaskCompletionSource<EncodedChunk>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var window = new SemaphoreSlim(workers * 2);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Chunk buffers are recycled between chunks (at most 2 × workers exist) and, like the CSV
        // buffers, rented from the shared pool so that consecutive jobs reuse the same memory.
        var buffers = new ConcurrentBag<GeneratedChunk>();
        var next = -1;

        async Task WorkAsync()
        {
            while (true)
            {
                await window.WaitAsync(stop.Token).ConfigureAwait(false);
                var index = Interlocked.Increment(ref next);
                if (index >= chunkCount) { window.Release(); return; }
                try
                {
                    if (!buffers.TryTake(out var chunk)) chunk = generator.CreateBuffer();
                    generator.Generate(index, chunk);
                    byte[]? csvBytes = null;
                    var csvLength = 0;
                    if (csvEncoder is not null)
                    {
                        csvBytes = csvEncoder.Encode(chunk, out csvLength);
                    }
                    var arrowMemory = new List<byte[]>();
                    var batch = arrowBuilder?.Build(chunk, arrowMemory);
                    var rows = chunk.RowCount;
                    buffers.Add(chunk);
                    slots[index].SetResult(new EncodedChunk(csvBytes, csvLength, batch, arrowMemory, rows));
                }
                catch (Exception ex)
                {
                    slots[index].TrySetException(ex);
                    throw;
                }
            }
        }

        var workerTasks = Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync, stop.Token)).ToArray();
        ArrowFileWriter? arrowWriter = null;
        try
        {
            if (csv is not null) await csv.WriteAsync(csvEncoder!.EncodeHeader(), stop.Token).ConfigureAwait(false);
            if (arrow is not null) arrowWriter = new ArrowFileWriter(arrow, arrowBuilder!.Schema, leaveOpen: true);
            long written = 0;
            for (var i = 0; i < chunkCount; i++)
            {
                var encoded = await slots[i].Task.WaitAsync(stop.Token).ConfigureAwait(false);
                if (encoded.Csv is not null)
                {
                    await csv!.WriteAsync(encoded.Csv.AsMemory(0, encoded.CsvLength), stop.Token).ConfigureAwait(false);
                    BufferPool.Return(ref encoded.Csv);
                }
                if (encoded.Batch is not null)
                {
                    await arrowWriter!.WriteRecordBatchAsync(encoded.Batch, stop.Token).ConfigureAwait(false);
                    encoded.Batch.Dispose();
                    encoded.ReturnArrowMemory();
                }
                window.Release();
                written += encoded.Rows;
                options.Progress?.Invoke(written);
            }
            if (arrowWriter is not null) await arrowWriter.WriteEndAsync(stop.Token).ConfigureAwait(false);
            if (csv is not null) await csv.FlushAsync(stop.Token).ConfigureAwait(false);
            if (arrow is not null) await arrow.FlushAsync(stop.Token).ConfigureAwait(false);
        }
        finally
        {
            stop.Cancel();
            arrowWriter?.Dispose();
            // A worker's own failure already reached the writing loop through its chunk's slot, so
            // here the workers are only drained; their exceptions are observed, not rethrown.
            await Task.WhenAll(workerTasks).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default).ConfigureAwait(false);
            foreach (var chunk in buffers) chunk.Release();
            // Chunks encoded but never written (the write was cancelled or failed) give their buffers back too.
            foreach (var slot in slots)
                if (slot.Task.IsCompletedSuccessfully)
                {
                    if (slot.Task.Result.Csv is { } unwritten) BufferPool.Return(ref unwritten);
                    slot.Task.Result.ReturnArrowMemory();
                }
        }
    }

    private sealed class EncodedChunk(byte[]? csv, int csvLength, RecordBatch? batch, List<byte[]> arrowMemory, int rows)
    {
        public byte[]? Csv = csv;
        public int CsvLength { get; } = csvLength;
        public RecordBatch? Batch { get; } = batch;
        public int Rows { get; } = rows;

        public void ReturnArrowMemory()
        {
            for (var i = 0; i < arrowMemory.Count; i++)
            {
                var array = arrowMemory[i];
                BufferPool.Return(ref array);
            }
            arrowMemory.Clear();
        }
    }
}
