using BenchmarkDotNet.Running;

if (args is ["analyze-memory"])
{
    await RadMah.Bench.AnalyzeMemory.RunAsync();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(RadMah.Bench.MockCsvBenchmarks).Assembly).Run(args);
