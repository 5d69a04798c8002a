using System.Security.Cryptography;

namespace RadMah.Cli.Tests;

public sealed class DemoCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Demo_writes_a_100000_row_csv_whose_digest_is_stable_across_runs()
    {
        var first = await RadmahProcess.RunAsync(_dir, "demo", "--out", "a.csv", "--data", "data-a");
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        var second = await RadmahProcess.RunAsync(_dir, "demo", "--out", "b.csv", "--data", "data-b");
        Assert.True(second.ExitCode == 0, second.Output + second.Error);

        var a = await File.ReadAllBytesAsync(Path.Combine(_dir, "a.csv"), TestContext.Current.CancellationToken);
        var b = await File.ReadAllBytesAsync(Path.Combine(_dir, "b.csv"), TestContext.Current.CancellationToken);
        Assert.Equal(SHA256.HashData(a), SHA256.HashData(b));
        var lines = System.Text.Encoding.UTF8.GetString(a).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(100_001, lines.Length);
        Assert.StartsWith("transaction_id,customer_id,card_number,amount", lines[0]);

        foreach (var word in new[] { "created", "queued", "running", "succeeded", "Credits charged", "0.1", "dataset.csv", "dataset.arrow", "contract.json" })
            Assert.Contains(word, first.Output);
        Assert.Matches("job_[a-z2-7]{20}", first.Output);
        Assert.Contains("sha256:" + Convert.ToHexStringLower(SHA256.HashData(a)), first.Output.Replace("\n", "").Replace(" ", ""));
    }

    [Fact]
    public async Task Demo_takes_rows_description_and_seed()
    {
        var result = await RadmahProcess.RunAsync(_dir, "demo", "--rows", "250", "--description", "hospital patients for 2023", "--seed", "5", "--out", "p.csv");
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        var lines = await File.ReadAllLinesAsync(Path.Combine(_dir, "p.csv"), TestContext.Current.CancellationToken);
        Assert.Equal(251, lines.Length);
        Assert.StartsWith("patient_id,first_name,last_name,date_of_birth", lines[0]);
    }

    [Theory]
    [InlineData("--rows", "0", "rows must be between 1 and")]
    [InlineData("--rows", "1000000001", "rows must be between 1 and")]
    [InlineData("--description", "", "description must not be empty")]
    [InlineData("--seed", "-4", "seed must be between 0 and")]
    public async Task Demo_refuses_bad_input_with_exit_code_2_and_writes_nothing(string option, string value, string message)
    {
        var result = await RadmahProcess.RunAsync(_dir, "demo", option, value, "--out", "bad.csv");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Output + result.Error);
        Assert.False(File.Exists(Path.Combine(_dir, "bad.csv")));
    }

    [Fact]
    public async Task Unknown_commands_and_malformed_numbers_exit_with_code_2()
    {
        var unknown = await RadmahProcess.RunAsync(_dir, "fly");
        Assert.Equal(2, unknown.ExitCode);
        var malformed = await RadmahProcess.RunAsync(_dir, "demo", "--rows", "lots");
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("lots", malformed.Error);
    }
}
