using System.Security.Cryptography;
using System.Text;

namespace RadMah.Sdk.Tests;

/// <summary>Bring your own data with the SDK: upload, analyze, read the inferred profile, mock look-alike rows.</summary>
public class DatasetFlowTests(NodeFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-sdk-data-").FullName;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Upload_analyze_and_mock_from_the_inferred_contract()
    {
        using var client = await fixture.NewClientAsync();
        var path = Path.Combine(_dir, "events.jsonl");
        var lines = Enumerable.Range(0, 800).Select(i => $"{{\"event_id\":{i + 1},\"user\":\"u{i % 40}@example.org\",\"kind\":\"{(i % 4 == 0 ? "click" : "view")}\",\"at\":\"2025-03-{1 + i % 28:D2}T10:{i % 60:D2}:00Z\",\"ms\":{50 + i % 300}}}");
        await File.WriteAllLinesAsync(path, lines, Ct);

        var dataset = await client.Datasets.UploadAsync(path, cancellationToken: Ct);
        Assert.Equal("jsonl", dataset.Format);
        Assert.Equal("events.jsonl", dataset.Name);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, Ct))), dataset.ContentHash);
        Assert.Equal(dataset.Id, (await client.Datasets.ListAsync(Ct)).Single().Id);
        Assert.Equal(dataset.ContentHash, (await client.Datasets.GetAsync(dataset.Id, Ct)).ContentHash);

        var analyze = await client.Jobs.AnalyzeAsync(dataset.Id, cancellationToken: Ct);
        Assert.Equal("analyze", analyze.Kind);
        await analyze.WaitAsync(pollInterval: TimeSpan.FromMilliseconds(100), cancellationToken: Ct);
        Assert.Equal("succeeded", analyze.Status);
        var report = Path.Combine(_dir, "report.html");
        await analyze.DownloadAsync(report, Ct);
        Assert.Contains("Profile of events.jsonl", await File.ReadAllTextAsync(report, Ct));

        var mock = await client.Jobs.MockFromContractAsync(analyze.Id, rows: 200, seed: 3, cancellationToken: Ct);
        await mock.WaitAsync(pollInterval: TimeSpan.FromMilliseconds(100), cancellationToken: Ct);
        Assert.Equal("succeeded", mock.Status);
        var frame = await mock.ToDataFrameAsync(Ct);
        Assert.Equal(200, frame.Rows.Count);
        Assert.Equal(["event_id", "user", "kind", "at", "ms"], frame.Columns.Select(c => c.Name));
        Assert.All(frame.Columns["kind"].Cast<object>(), v => Assert.Contains(v.ToString(), new[] { "click", "view" }));

        var bad = await Assert.ThrowsAsync<ValidationException>(() => client.Jobs.AnalyzeAsync("ds_x", cancellationToken: Ct));
        Assert.Contains(bad.FieldViolations, v => v.Field == "dataset_id");
        await Assert.ThrowsAsync<NotFoundException>(() => client.Datasets.GetAsync("ds_aaaaaaaaaaaaaaaaaaaa", Ct));
        await Assert.ThrowsAsync<ValidationException>(() => client.Datasets.UploadAsync(new MemoryStream(Encoding.UTF8.GetBytes("")), "empty.csv", cancellationToken: Ct));
    }

    [Fact]
    public async Task Train_a_model_and_synthesize_rows_with_their_reports()
    {
        using var client = await fixture.NewClientAsync();
        var csv = new StringBuilder("order_id,items,total,region\n");
        for (var i = 0; i < 900; i++) csv.Append($"O{i:D5},{1 + i % 6},{(4.99 * (1 + i % 6) + i % 11 * 0.5).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)},{(i % 5 == 0 ? "north" : "south")}\n");
        var dataset = await client.Datasets.UploadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), "orders.csv", cancellationToken: Ct);

        var train = await client.Jobs.TrainAsync(dataset.Id, seed: 2, cancellationToken: Ct);
        await train.WaitAsync(pollInterval: TimeSpan.FromMilliseconds(100), cancellationToken: Ct);
        Assert.Equal("succeeded", train.Status);
        Assert.Equal("model.json", (await train.ArtifactsAsync(Ct))[0].ArtifactType);

        var synth = await client.Jobs.SynthesizeAsync(train.Id, rows: 500, seed: 3, cancellationToken: Ct);
        await synth.WaitAsync(pollInterval: TimeSpan.FromMilliseconds(100), cancellationToken: Ct);
        Assert.Equal("succeeded", synth.Status);
        var frame = await synth.ToDataFrameAsync(Ct);
        Assert.Equal(500, frame.Rows.Count);
        Assert.Equal(["order_id", "items", "total", "region"], frame.Columns.Select(c => c.Name));
        Assert.Contains("quality-report.json", (await synth.ArtifactsAsync(Ct)).Select(a => a.ArtifactType));

        var bad = await Assert.ThrowsAsync<ValidationException>(() => client.Jobs.SynthesizeAsync(train.Id, rows: 0, cancellationToken: Ct));
        Assert.Contains(bad.FieldViolations, v => v.Field == "rows");
    }
}
