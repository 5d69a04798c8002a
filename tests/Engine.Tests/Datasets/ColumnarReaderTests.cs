using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Parquet;
using Parquet.Schema;
using RadMah.Engine.Datasets;

namespace RadMah.Engine.Tests.Datasets;

/// <summary>JSON Lines, JSON arrays, Parquet and Arrow IPC inputs read into the same analysis types.</summary>
public class ColumnarReaderTests
{
    [Fact]
    public async Task Json_lines_members_become_columns_and_late_members_are_null_before_they_appear()
    {
        var jsonl = "{\"id\":1,\"name\":\"Ada \\u00e9\",\"tags\":[1,2],\"ok\":true}\n\n{\"id\":2,\"name\":null,\"extra\":\"x\"}\r\n{\"id\":3.5,\"ok\":false}";
        var bytes = Tables.Utf8(jsonl);
        Assert.Equal(DatasetFormat.JsonLines, DatasetFormatDetector.Detect(bytes, "x.txt"));
        var (_, columns, rows) = await Tables.ReadAsync(bytes);
        Assert.Equal(["id", "name", "tags", "ok", "extra"], columns);
        Assert.Equal(["1", "Ada é", "[1,2]", "true", null], rows[0]);
        Assert.Equal(["2", null, null, null, "x"], rows[1]);
        Assert.Equal(["3.5", null, null, "false", null], rows[2]);
    }

    [Theory]
    [InlineData("{\"a\":1}\n[1,2]\n", "line 2: not a JSON object")]
    [InlineData("{\"a\":1}\n{\"a\":2,}\n", "line 2: invalid JSON at character")]
    [InlineData("{\"a\":1}\n{\"a\":2} {\"a\":3}\n", "line 2: more than one JSON value")]
    public async Task Bad_json_lines_are_refused_with_their_line(string jsonl, string expected)
    {
        var ex = await Assert.ThrowsAsync<DatasetException>(() => Tables.ReadAsync(Tables.Utf8(jsonl), DatasetFormat.JsonLines));
        Assert.StartsWith(expected, ex.Message);
    }

    [Fact]
    public async Task A_json_array_of_objects_is_a_table_with_a_row_per_element_read_a_few_bytes_at_a_time()
    {
        var json = "\uFEFF[\n  {\"id\": 1, \"name\": \"Ada \\u00e9 {x}]\", \"tags\": [1, [2]], \"ok\": true},\n" +
                   "  {\"id\": 2, \"name\": null, \"extra\": {\"k\": \"]\\\"}\"}} ,\r\n{\"id\":3.5,\"ok\":false}\n]\n";
        var bytes = Tables.Utf8(json);
        Assert.Equal(DatasetFormat.Json, DatasetFormatDetector.Detect(bytes, "rows.json"));
        // Seven bytes per read and two rows per batch: elements span reads, and rows span batches.
        await using var reader = new RadMah.Engine.Datasets.Json.JsonArrayTableReader(new TrickleStream(bytes, 7), batchRows: 2);
        var rows = new List<string?[]>();
        var columns = new List<string>();
        await foreach (var batch in reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            using (batch)
            {
                columns = [.. batch.Data.Schema.FieldsList.Select(f => f.Name)];
                for (var r = 0; r < batch.RowCount; r++)
                    rows.Add([.. Enumerable.Range(0, columns.Count).Select(c => Tables.Cell(batch.Data.Column(c), r))]);
            }
        }
        Assert.Equal(["id", "name", "tags", "ok", "extra"], columns);
        Assert.Equal(3, rows.Count);
        Assert.Equal(["1", "Ada é {x}]", "[1, [2]]", "true"], rows[0][..4]);
        Assert.Equal(["2", null, null, null, "{\"k\": \"]\\\"}\"}"], rows[1]);
        Assert.Equal(["3.5", null, null, "false", null], rows[2]);
        Assert.Equal("3", reader.Details["rows"]);
    }

    [Theory]
    [InlineData("[{\"a\":1}, [1,2]]", "element 2: not a JSON object")]
    [InlineData("[{\"a\":1} {\"a\":2}]", "after element 1: expected ',' or ']'")]
    [InlineData("[{\"a\":1}, {\"a\":2,}]", "element 2: invalid JSON at character")]
    [InlineData("[{\"a\":1}, {\"a\":\"}", "element 2: the object is not closed; the file ends inside it.")]
    [InlineData("[{\"a\":1},", "the array is not closed; the file ends after element 1.")]
    [InlineData("[{\"a\":1}] x", "more content after the array's closing ']'")]
    [InlineData("[ ]", "the JSON array has no rows.")]
    [InlineData("{\"a\":1}", "not a JSON array")]
    public async Task Bad_json_arrays_are_refused_with_the_element(string json, string expected)
    {
        var ex = await Assert.ThrowsAsync<DatasetException>(() => Tables.ReadAsync(Tables.Utf8(json), DatasetFormat.Json));
        Assert.StartsWith(expected, ex.Message);
    }

    [Theory]
    [InlineData("[[1, 2], [3, 4]]")]
    [InlineData("[1, 2, 3]")]
    [InlineData("[\"a\", \"b\"]")]
    public void A_json_array_of_arrays_or_values_is_refused_as_no_table(string json)
    {
        var ex = Assert.Throws<DatasetException>(() => DatasetFormatDetector.Detect(Tables.Utf8(json), "x.json"));
        Assert.StartsWith("the file is a JSON array of arrays or values", ex.Message);
    }

    /// <summary>Returns at most a few bytes per read, as a slow network would.</summary>
    private sealed class TrickleStream(byte[] bytes, int most) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, most));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, most)]);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, most), cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, most)], cancellationToken);
    }

    private static async Task<byte[]> ParquetFileAsync(int rowGroups)
    {
        var schema = new ParquetSchema(new DataField<int>("id"), new DataField<double?>("amount"), new DataField<string>("city"),
            new DataField<DateTime>("at"), new DataField<bool?>("vip"), new DecimalDataField("price", 10, 2, isNullable: true));
        using var ms = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(schema, ms))
        {
            for (var g = 0; g < rowGroups; g++)
            {
                using var rg = writer.CreateRowGroup();
                var ids = Enumerable.Range(g * 3, 3).ToArray();
                await rg.WriteAsync<int>((DataField)schema[0], ids);
                await rg.WriteAsync<double>((DataField)schema[1], new double?[] { 1.5, null, 3 }.AsMemory());
                await rg.WriteAsync((DataField)schema[2], new string?[] { "Oslo", null, "Lima" });
                await rg.WriteAsync<DateTime>((DataField)schema[3], ids.Select(i => new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i)).ToArray());
                await rg.WriteAsync<bool>((DataField)schema[4], new bool?[] { true, null, false }.AsMemory());
                await rg.WriteAsync<decimal>((DataField)schema[5], new decimal?[] { 1.25m, null, 3m }.AsMemory());
            }
        }
        return ms.ToArray();
    }

    [Fact]
    public async Task Parquet_row_groups_are_read_with_their_types_and_nulls()
    {
        var bytes = await ParquetFileAsync(rowGroups: 2);
        Assert.Equal(DatasetFormat.Parquet, DatasetFormatDetector.Detect(bytes, "data.csv"));
        var (reader, columns, rows) = await Tables.ReadAsync(bytes);
        Assert.Equal(["id", "amount", "city", "at", "vip", "price"], columns);
        Assert.Equal(6, rows.Count);
        Assert.Equal(["0", "1.5", "Oslo", "2024-01-01T00:00:00Z", "true", "1.25"], rows[0]);
        Assert.Equal(["1", null, null, "2024-01-01T01:00:00Z", null, null], rows[1]);
        Assert.Equal("5", rows[5][0]);
        Assert.Equal("2", reader.Details["row_groups"]);
    }

    [Fact]
    public async Task A_damaged_parquet_file_names_the_part_that_failed()
    {
        var bytes = await ParquetFileAsync(rowGroups: 1);
        var footerless = bytes[..(bytes.Length - 12)];
        var footer = await Assert.ThrowsAsync<DatasetException>(() => Tables.ReadAsync(footerless, DatasetFormat.Parquet));
        Assert.StartsWith("file footer:", footer.Message);
        // Zero the first column's data pages: the footer still reads, the row group does not.
        var broken = (byte[])bytes.Clone();
        for (var i = 4; i < Math.Min(60, broken.Length); i++) broken[i] = 0xFF;
        var group = await Assert.ThrowsAsync<DatasetException>(() => Tables.ReadAsync(broken, DatasetFormat.Parquet));
        Assert.StartsWith("row group 1, column \"id\":", group.Message);
    }

    private static byte[] ArrowBytes(bool fileFormat)
    {
        var schema = new Schema.Builder()
            .Field(f => f.Name("n").DataType(Int32Type.Default))
            .Field(f => f.Name("x").DataType(FloatType.Default))
            .Field(f => f.Name("s").DataType(StringType.Default))
            .Field(f => f.Name("d").DataType(Date64Type.Default))
            .Build();
        var batch = new RecordBatch(schema,
        [
            new Int32Array.Builder().Append(1).AppendNull().Append(3).Build(),
            new FloatArray.Builder().Append(0.5f).Append(1.5f).AppendNull().Build(),
            new StringArray.Builder().Append("a").Append("b").AppendNull().Build(),
            new Date64Array.Builder().Append(new DateTime(2024, 2, 29)).Append(new DateTime(2024, 3, 1)).Append(new DateTime(2024, 3, 2)).Build(),
        ], 3);
        using var ms = new MemoryStream();
        using (ArrowStreamWriter writer = fileFormat ? new ArrowFileWriter(ms, schema, leaveOpen: true) : new ArrowStreamWriter(ms, schema, leaveOpen: true))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteRecordBatch(batch);
            if (writer is ArrowFileWriter file) file.WriteEnd(); else writer.WriteEnd();
        }
        return ms.ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Arrow_file_and_stream_formats_are_read_and_widened_to_the_analysis_types(bool fileFormat)
    {
        var bytes = ArrowBytes(fileFormat);
        Assert.Equal(DatasetFormat.Arrow, DatasetFormatDetector.Detect(bytes, "x.arrow"));
        var (reader, columns, rows) = await Tables.ReadAsync(bytes);
        Assert.Equal(["n", "x", "s", "d"], columns);
        Assert.Equal(6, rows.Count);
        Assert.Equal(["1", "0.5", "a", "2024-02-29"], rows[0]);
        Assert.Equal([null, "1.5", "b", "2024-03-01"], rows[1]);
        Assert.Equal(fileFormat ? "file" : "stream", reader.Details["ipc_format"]);
    }

    [Fact]
    public async Task A_truncated_arrow_stream_names_the_record_batch_that_failed()
    {
        var bytes = ArrowBytes(fileFormat: false);
        var cut = bytes[..(bytes.Length - 200)];
        var ex = await Assert.ThrowsAsync<DatasetException>(() => Tables.ReadAsync(cut, DatasetFormat.Arrow));
        Assert.Matches("^(record batch [0-9]+|schema or record batch 1): cannot be read", ex.Message);
    }
}
