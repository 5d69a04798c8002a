using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Data.Analysis;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Datasets;
using RadMah.Engine.Synthesis;

namespace RadMah.Bench;

/// <summary>
/// analyze's one-pass profile of 1,000,000 rows × 15 columns of CSV (about 140 MB: ids, names,
/// e-mails, countries, phones, dates, timestamps, amounts, integers, booleans, categories, IPs), and
/// the profile followed by the job's second read (the look-alike copula fitted to a seeded sample), against, in the same run, only reading the same file into Arrow batches (the floor: no
/// profiler is faster than its reader) and Microsoft.Data.Analysis loading 100,000 of its rows
/// and describing them (the DataFrame a .NET user would otherwise reach for).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class AnalyzeBenchmarks
{
    public const int Rows = 1_000_000;
    public const int DataFrameRows = 100_000;

    private string _path = null!;
    private string _smallPath = null!;

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"radmah-analyze-bench-{Environment.ProcessId}.csv");
        _smallPath = _path + ".small.csv";
        WideTable.WriteCsvAsync(_path, Rows).GetAwaiter().GetResult();
        WideTable.WriteCsvAsync(_smallPath, DataFrameRows).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        File.Delete(_path);
        File.Delete(_smallPath);
    }

    [Benchmark(Description = "analyze: profile 1,000,000 rows × 15 columns of CSV")]
    public async Task<long> Profile()
    {
        await using var reader = await TableReaders.OpenAsync(File.OpenRead(_path), DatasetFormat.Csv, _path);
        var profile = await TableProfiler.ProfileAsync(reader, new DatasetInfo { Name = "bench.csv", ContentHash = "sha256:" + new string('0', 64), Format = "csv", SizeBytes = new FileInfo(_path).Length },
            new ProfileOptions());
        return profile.Table.Rows;
    }

    [Benchmark(Description = "analyze: profile, then read again to fit the look-alike copula to a 50,000-row sample (2 threads)")]
    public async Task<int> ProfileAndLookAlike()
    {
        var info = new DatasetInfo { Name = "bench.csv", ContentHash = "sha256:" + new string('0', 64), Format = "csv", SizeBytes = new FileInfo(_path).Length };
        DatasetProfile profile;
        await using (var reader = await TableReaders.OpenAsync(File.OpenRead(_path), DatasetFormat.Csv, _path))
            profile = await TableProfiler.ProfileAsync(reader, info, new ProfileOptions());
        var dependence = await SynthesisRun.FitLookAlikeAsync(ct => TableReaders.OpenAsync(File.OpenRead(_path), DatasetFormat.Csv, _path, null, ct), profile, 1, 2,
            SynthesisRevision.Current.CopulaFitting, CancellationToken.None);
        return dependence?.Codecs.Count ?? throw new InvalidOperationException("the bench table should have a look-alike copula.");
    }

    [Benchmark(Description = "reference: read the same CSV into Arrow batches only")]
    public async Task<long> ReadOnly()
    {
        await using var reader = await TableReaders.OpenAsync(File.OpenRead(_path), DatasetFormat.Csv, _path);
        long rows = 0;
        await foreach (var batch in reader.ReadAsync())
        {
            rows += batch.RowCount;
            batch.Dispose();
        }
        return rows;
    }

    [Benchmark(Description = "reference: Microsoft.Data.Analysis LoadCsv + Description, 100,000 rows")]
    public long DataFrameDescribe()
    {
        var frame = DataFrame.LoadCsv(_smallPath);
        return frame.Description().Rows.Count;
    }
}
