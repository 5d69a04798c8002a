using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(RadMah.Bench.MockCsvBenchmarks).Assembly).Run(args);
