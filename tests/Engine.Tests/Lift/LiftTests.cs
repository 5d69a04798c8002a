using System.Globalization;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using RadMah.Engine.Datasets;
using RadMah.Engine.Lift;
using RadMah.Engine.Tests.Datasets;

namespace RadMah.Engine.Tests.Lift;

public class LiftTests
{
    private static async Task<(WorldStateManifest Manifest, List<RecordBatch> Batches)> LiftAsync(string text, LiftOptions? options = null)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await using var reader = await TableReaders.OpenAsync(new MemoryStream(bytes), DatasetFormatDetector.Detect(bytes, "x.csv"), "x.csv", null, TestContext.Current.CancellationToken);
        using var output = new MemoryStream();
        var manifest = await LiftEngine.LiftAsync(reader, "sha256:" + new string('0', 64), options ?? new LiftOptions(), output, TestContext.Current.CancellationToken);
        output.Position = 0;
        using var arrow = new ArrowFileReader(output);
        var batches = new List<RecordBatch>();
        while (await arrow.ReadNextRecordBatchAsync(TestContext.Current.CancellationToken) is { } batch) batches.Add(batch);
        return (manifest, batches);
    }

    /// <summary>A historian export: tags at 1 s and 10 s, one gap, two rows out of order, a local time zone, digital states and quality codes.</summary>
    private static string Historian()
    {
        var sb = new StringBuilder("Timestamp,TagName,Value,Quality\r\n");
        var start = new DateTime(2024, 7, 1, 12, 0, 0);
        for (var s = 0; s < 120; s++)
        {
            if (s is >= 50 and < 60) continue; // a 10-second outage of the 1 s tag
            sb.Append(CultureInfo.InvariantCulture, $"{start.AddSeconds(s):yyyy-MM-dd HH:mm:ss.fff},FIT-101.PV [m3/h],{10 + s * 0.5:F2},Good\r\n");
        }
        for (var s = 0; s < 120; s += 10) sb.Append(CultureInfo.InvariantCulture, $"{start.AddSeconds(s):yyyy-MM-dd HH:mm:ss.fff},PUMP_01.RUN,{(s % 20 == 0 ? "ON" : "OFF")},Good\r\n");
        // Two late rows, written after later ones.
        sb.Append(CultureInfo.InvariantCulture, $"{start.AddSeconds(55.5):yyyy-MM-dd HH:mm:ss.fff},TT-205_degC,21.5,Uncertain\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"{start.AddSeconds(30):yyyy-MM-dd HH:mm:ss.fff},TT-205_degC,21.0,Good\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"{start.AddSeconds(10):yyyy-MM-dd HH:mm:ss.fff},TT-205_degC,20.5,Good\r\n");
        return sb.ToString();
    }

    [Fact]
    public async Task A_historian_export_is_pivoted_into_typed_sorted_series_in_utc_with_sampling_gaps_and_disorder()
    {
        var (manifest, batches) = await LiftAsync(Historian(), new LiftOptions { TimeZone = "Europe/Berlin" });
        Assert.Equal("long", manifest.Shape);
        Assert.Equal(new Dictionary<string, string> { ["timestamp"] = "Timestamp", ["tag"] = "TagName", ["value"] = "Value", ["quality"] = "Quality" }, manifest.Columns);
        var entity = Assert.Single(manifest.Entities);
        var flow = entity.Series.Single(s => s.Tag == "FIT-101.PV [m3/h]");
        Assert.Equal(("FIT-101.PV", "m³/h", "number"), (flow.Name, flow.Unit, flow.Type));
        Assert.Equal(110, flow.Points);
        Assert.Equal(1.0, flow.SamplingSeconds);
        Assert.Equal(1, flow.Gaps);
        Assert.Equal(11.0, flow.LongestGaps[0].Seconds);
        // 12:00 in Berlin in July (UTC+2) is 10:00 UTC.
        Assert.Equal("2024-07-01T10:00:00.000000Z", flow.First);
        Assert.Equal(0, flow.OutOfOrder);
        var pump = entity.Series.Single(s => s.Tag == "PUMP_01.RUN");
        Assert.Equal(("boolean", 10.0, 12L), (pump.Type, pump.SamplingSeconds!.Value, pump.Points));
        var temperature = entity.Series.Single(s => s.Tag == "TT-205_degC");
        Assert.Equal(("TT-205", "°C", 2L), (temperature.Name, temperature.Unit, temperature.OutOfOrder));
        Assert.Equal(new Dictionary<string, long> { ["Good"] = 2, ["Uncertain"] = 1 }, temperature.Quality);
        Assert.Equal(flow.Points + pump.Points + temperature.Points, manifest.Points);

        // The Arrow file: one batch per series in manifest order, sorted by time, typed values.
        Assert.Equal(["FIT-101.PV [m3/h]", "PUMP_01.RUN", "TT-205_degC"], batches.Select(b => ((StringArray)b.Column("tag")).GetString(0)));
        var temperatures = batches[2];
        var times = (TimestampArray)temperatures.Column("timestamp");
        Assert.True(times.GetTimestamp(0) < times.GetTimestamp(1) && times.GetTimestamp(1) < times.GetTimestamp(2));
        Assert.Equal([20.5, 21.0, 21.5], Enumerable.Range(0, 3).Select(i => ((DoubleArray)temperatures.Column("value")).GetValue(i)!.Value));
        Assert.Equal(1.0, ((DoubleArray)batches[1].Column("value")).GetValue(0));
        Assert.Equal("Good", ((StringArray)batches[0].Column("quality")).GetString(0));
    }

    [Fact]
    public async Task A_wide_table_with_one_row_per_timestamp_becomes_one_series_per_column_and_entity()
    {
        var sb = new StringBuilder("time,site,power_kW,voltage_V,state\n");
        for (var i = 0; i < 20; i++)
            foreach (var site in new[] { "north", "south" })
                sb.Append(CultureInfo.InvariantCulture, $"2024-01-01T00:{i:D2}:00Z,{site},{100 + i},{230.5 + i % 3},{(i % 2 == 0 ? "running" : "idle")}\n");
        var (manifest, _) = await LiftAsync(sb.ToString());
        Assert.Equal("wide_time", manifest.Shape);
        Assert.Equal(["north", "south"], manifest.Entities.Select(e => e.Id));
        var north = manifest.Entities[0];
        Assert.Equal(["power_kW", "state", "voltage_V"], north.Series.Select(s => s.Tag));
        Assert.Equal(("power", "kW", "number", 60.0), (north.Series[0].Name, north.Series[0].Unit, north.Series[0].Type, north.Series[0].SamplingSeconds!.Value));
        Assert.Equal(("voltage", "V"), (north.Series[2].Name, north.Series[2].Unit));
        Assert.Equal("text", north.Series[1].Type);
        Assert.Equal(20, north.Series[0].Points);
    }

    [Fact]
    public async Task A_table_of_entities_gives_typed_attributes()
    {
        var (manifest, batches) = await LiftAsync("asset_id,model,rated_power_kW,commissioned,online\nT-01,V90,2000,2015-03-01,true\nT-02,V112,3000,2018-06-15,false\n");
        Assert.Equal("wide_entity", manifest.Shape);
        Assert.Empty(batches.SelectMany(b => Enumerable.Range(0, b.Length)));
        var t1 = manifest.Entities.Single(e => e.Id == "T-01");
        Assert.Equal([("model", "text", null, "V90"), ("rated_power_kW", "number", "kW", "2000"), ("commissioned", "timestamp", null, "2015-03-01"), ("online", "boolean", null, "true")],
            t1.Attributes.Select(a => (a.Name, a.Type, a.Unit, a.Value)));
    }

    [Fact]
    public async Task Bad_lift_inputs_and_options_are_refused_with_reasons()
    {
        var missing = await Assert.ThrowsAsync<DatasetException>(() => LiftAsync("a,b\n1,2\n", new LiftOptions { TagColumn = "tag" }));
        Assert.StartsWith("tag_column: the input has no column \"tag\"", missing.Message);
        var longWithout = await Assert.ThrowsAsync<DatasetException>(() => LiftAsync("when,x\n2024-01-01,1\n", new LiftOptions { Shape = "long" }));
        Assert.StartsWith("shape long needs a timestamp, a tag and a value column", longWithout.Message);
        var badTimes = await Assert.ThrowsAsync<DatasetException>(() => LiftAsync("timestamp,tag,value\n2024-01-01 00:00:00,a,1\nyesterday,a,2\nsoon,a,3\n"));
        Assert.StartsWith("2 of 3 rows have a timestamp that is not a date or time (for example 'yesterday')", badTimes.Message);
        var zone = await Assert.ThrowsAsync<DatasetException>(() => LiftAsync(Historian(), new LiftOptions { TimeZone = "Mars/Olympus" }));
        Assert.Contains("not an IANA time zone", zone.Message);
        var tooMany = await Assert.ThrowsAsync<DatasetException>(() => LiftAsync(Historian(), new LiftOptions { MaxPoints = 10 }));
        Assert.Contains("more than 10 points", tooMany.Message);
    }

    [Theory]
    [InlineData("Temperature (°C)", "Temperature", "°C")]
    [InlineData("FIT-101.PV [m3/h]", "FIT-101.PV", "m³/h")]
    [InlineData("temp_C", "temp", "°C")]
    [InlineData("power_kW", "power", "kW")]
    [InlineData("pump_a", "pump_a", null)]
    [InlineData("pressure [bar]", "pressure", "bar")]
    [InlineData("speed", "speed", null)]
    public void Units_are_read_from_names(string name, string bare, string? unit) =>
        Assert.Equal((bare, unit), UnitParser.Parse(name));
}
