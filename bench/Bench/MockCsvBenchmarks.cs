using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Bogus;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Description;
using RadMah.Engine.Output;

namespace RadMah.Bench;

/// <summary>
/// Mock generation throughput: 1,000,000 rows of "customer transaction records" (10 columns)
/// written as CSV to a file, against Bogus 35.6.5 writing a comparable 10-column transaction CSV
/// in the same run. Rows per second = rows / mean time.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 8)]
[MemoryDiagnoser]
public class MockCsvBenchmarks
{
    public const int MockRows = 1_000_000;
    public const int BogusRows = 100_000;

    private MockContract _contract = null!;
    private string _path = null!;

    [GlobalSetup]
    public void Setup()
    {
        _contract = DescriptionCompiler.Compile("customer transaction records", MockRows, 42).Contract;
        _path = Path.Combine(Path.GetTempPath(), $"radmah-bench-{Environment.ProcessId}.csv");
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark(Description = "RadMah mock, 1,000,000 rows → CSV file")]
    public async Task RadMahMockCsv()
    {
        await using var file = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        await MockDatasetWriter.WriteAsync(_contract, file, null);
    }

    [Benchmark(Description = "RadMah mock, 1,000,000 rows → CSV + Arrow files")]
    public async Task RadMahMockCsvAndArrow()
    {
        await using var file = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        await using var arrow = new FileStream(_path + ".arrow", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        await MockDatasetWriter.WriteAsync(_contract, file, arrow);
    }

    [Benchmark(Baseline = true, Description = "Bogus 35.6.5, 100,000 rows → CSV file")]
    public void BogusCsv()
    {
        Randomizer.Seed = new Random(42);
        var faker = new Faker<Transaction>()
            .RuleFor(t => t.TransactionId, f => f.Random.Guid().ToString("N"))
            .RuleFor(t => t.CustomerId, f => "cus_" + f.Random.Number(1, 125_000).ToString("D10", CultureInfo.InvariantCulture))
            .RuleFor(t => t.CardNumber, f => f.Finance.CreditCardNumber())
            .RuleFor(t => t.Amount, f => f.Finance.Amount(0.5m, 25_000m))
            .RuleFor(t => t.Country, f => f.Address.CountryCode())
            .RuleFor(t => t.Currency, f => f.Finance.Currency().Code)
            .RuleFor(t => t.MerchantCategory, f => f.Commerce.Department())
            .RuleFor(t => t.Channel, f => f.PickRandom("card_present", "online", "contactless_mobile"))
            .RuleFor(t => t.Status, f => f.PickRandom("approved", "declined", "refunded", "chargeback"))
            .RuleFor(t => t.CreatedAt, f => f.Date.Between(new DateTime(2025, 1, 1), new DateTime(2026, 1, 1)));
        using var writer = new StreamWriter(_path, false, new System.Text.UTF8Encoding(false), 1 << 20);
        writer.Write("transaction_id,customer_id,card_number,amount,country,currency,merchant_category,channel,status,created_at\r\n");
        foreach (var t in faker.GenerateLazy(BogusRows))
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{t.TransactionId},{t.CustomerId},{t.CardNumber},{t.Amount:0.00},{t.Country},{t.Currency},\"{t.MerchantCategory}\",{t.Channel},{t.Status},{t.CreatedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}\r\n"));
        }
    }

    public sealed class Transaction
    {
        public string TransactionId { get; set; } = "";
        public string CustomerId { get; set; } = "";
        public string CardNumber { get; set; } = "";
        public decimal Amount { get; set; }
        public string Country { get; set; } = "";
        public string Currency { get; set; } = "";
        public string MerchantCategory { get; set; } = "";
        public string Channel { get; set; } = "";
        public string Status { get; set; } = "";
        public DateTime CreatedAt { get; set; }
    }
}
