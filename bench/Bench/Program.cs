using BenchmarkDotNet.Running;

if (args is ["synthesis-quality", .. var tables])
{
    await RadMah.Bench.SynthesisQuality.RunAsync(tables);
    return;
}
if (args is ["simulate", .. var simulateArgs])
{
    await RadMah.Bench.SimulateFullLength.RunAsync(simulateArgs);
    return;
}
if (args is ["synthesis-sample", var times])
{
    // The sampling benchmark in a plain loop, for a profiler (perf with DOTNET_PerfMapEnabled=1): the model of SynthesisBenchmarks,
    // sampled to CSV as many times as asked, each timed.
    var bench = new RadMah.Bench.SynthesisBenchmarks();
    bench.Setup();
    for (var i = 0; i < int.Parse(times, System.Globalization.CultureInfo.InvariantCulture); i++)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await bench.SampleCsv();
        Console.WriteLine($"sampled 1,000,000 rows to CSV in {clock.Elapsed.TotalSeconds:0.000} s");
    }
    return;
}
if (args is ["analyze-memory"])
{
    await RadMah.Bench.AnalyzeMemory.RunAsync();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(RadMah.Bench.MockCsvBenchmarks).Assembly).Run(args);
