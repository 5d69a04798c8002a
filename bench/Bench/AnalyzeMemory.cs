using System.Diagnostics;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Datasets;
using RadMah.Measurement;

namespace RadMah.Bench;

/// <summary>
/// `dotnet run -c Release --project bench/Bench -- analyze-memory`: profiles the 15-column table at
/// 1,000,000 and 4,000,000 rows and samples the process working set every 20 ms. Bounded memory
/// means the peak does not grow with the row count.
/// </summary>
public static class AnalyzeMemory
{
    public static async Task RunAsync()
    {
        foreach (var rows in new long[] { 1_000_000, 4_000_000 })
        {
            var path = Path.Combine(Path.GetTempPath(), $"radmah-analyze-memory-{rows}.csv");
            await WideTable.WriteCsvAsync(path, rows);
            using var memory = PeakWorkingSet.Start();
            var watch = Stopwatch.StartNew();
            await using (var reader = await TableReaders.OpenAsync(File.OpenRead(path), DatasetFormat.Csv, path))
                await TableProfiler.ProfileAsync(reader, new DatasetInfo { Name = "t.csv", ContentHash = "sha256:" + new string('0', 64), Format = "csv", SizeBytes = new FileInfo(path).Length }, new ProfileOptions());
            watch.Stop();
            var peak = await memory.StopAsync();
            Console.WriteLine($"{rows,10:N0} rows, {new FileInfo(path).Length / 1e6,7:N1} MB: {watch.Elapsed.TotalSeconds,6:N2} s, working set before {memory.Before / 1e6:N0} MB, peak {peak / 1e6:N0} MB");
            File.Delete(path);
        }
    }
}
