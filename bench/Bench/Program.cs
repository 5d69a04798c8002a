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
if (args is ["analyze-memory"])
{
    await RadMah.Bench.AnalyzeMemory.RunAsync();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(RadMah.Bench.MockCsvBenchmarks).Assembly).Run(args);
