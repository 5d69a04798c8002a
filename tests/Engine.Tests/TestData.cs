using System.Security.Cryptography;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Description;
using RadMah.Engine.Output;

namespace RadMah.Engine.Tests;

public static class TestData
{
    public static MockContract Contract(string description = "customer transaction records", long rows = 10_000, long seed = 42) =>
        DescriptionCompiler.Compile(description, rows, seed).Contract;

    public static async Task<(byte[] Csv, byte[] Arrow)> GenerateAsync(MockContract contract, int parallelism = 2)
    {
        using var csv = new MemoryStream();
        using var arrow = new MemoryStream();
        await MockDatasetWriter.WriteAsync(contract, csv, arrow, new DatasetWriteOptions { Parallelism = parallelism }, TestContext.Current.CancellationToken);
        return (csv.ToArray(), arrow.ToArray());
    }

    public static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
