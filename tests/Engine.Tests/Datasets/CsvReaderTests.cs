using System.Text;
using RadMah.Engine.Datasets;

namespace RadMah.Engine.Tests.Datasets;

public class CsvReaderTests
{
    [Fact]
    public async Task Quoted_delimiters_quotes_and_line_breaks_stay_inside_their_fields()
    {
        var csv = "id,comment,amount\r\n1,\"Hello, world\",10\r\n2,\"She said \"\"hi\"\"\nand left\",20\r\n3,plain,30\r\n";
        var (reader, columns, rows) = await Tables.ReadAsync(Tables.Utf8(csv), name: "c.csv");
        Assert.Equal(["id", "comment", "amount"], columns);
        Assert.Equal(3, rows.Count);
        Assert.Equal("Hello, world", rows[0][1]);
        Assert.Equal("She said \"hi\"\nand left", rows[1][1]);
        Assert.Equal(["3", "plain", "30"], rows[2]);
        Assert.Equal("comma", reader.Details["delimiter"]);
    }

    [Fact]
    public async Task A_byte_order_mark_is_not_part_of_the_first_column_name()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Tables.Utf8("name,age\nAda,36\n")).ToArray();
        var (reader, columns, rows) = await Tables.ReadAsync(bytes);
        Assert.Equal(["name", "age"], columns);
        Assert.Equal("utf-8 (with BOM)", reader.Details["encoding"]);
        Assert.Single(rows);
    }

    [Fact]
    public async Task Utf16_and_windows_1252_files_are_transcoded()
    {
        var utf16 = new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes("city;price\nZürich;12,50\n")).ToArray();
        var (reader, columns, rows) = await Tables.ReadAsync(utf16);
        Assert.Equal(["city", "price"], columns);
        Assert.Equal("Zürich", rows[0][0]);
        Assert.Equal("semicolon", reader.Details["delimiter"]);

        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var cp1252 = Encoding.GetEncoding(1252).GetBytes("name,price\nCafé,€4\nNaïve,€5\n");
        var (legacy, _, legacyRows) = await Tables.ReadAsync(cp1252);
        Assert.Equal("windows-1252", legacy.Details["encoding"]);
        Assert.Equal(["Café", "€4"], legacyRows[0]);
    }

    [Theory]
    [InlineData("a\tb\tc\n1\t2\t3\n4\t5\t6\n", "tab", DatasetFormat.Tsv)]
    [InlineData("a;b;c\n1;2;3\n4;5;6\n", "semicolon", DatasetFormat.Csv)]
    [InlineData("a|b|c\n1|2|3\n4|5|6\n", "pipe", DatasetFormat.Csv)]
    [InlineData("a,b,c\n\"1;x\",2,3\n4,5,6\n", "comma", DatasetFormat.Csv)]
    public async Task The_delimiter_is_detected(string text, string delimiter, DatasetFormat format)
    {
        Assert.Equal(format, DatasetFormatDetector.Detect(Tables.Utf8(text), "data.txt"));
        var (reader, columns, rows) = await Tables.ReadAsync(Tables.Utf8(text));
        Assert.Equal(delimiter, reader.Details["delimiter"]);
        Assert.Equal(3, columns.Count);
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public async Task A_file_without_a_header_gets_numbered_columns_and_keeps_its_first_row()
    {
        var (reader, columns, rows) = await Tables.ReadAsync(Tables.Utf8("1,2.5,2024-01-01\n2,3.5,2024-01-02\n3,4.5,2024-01-03\n"));
        Assert.Equal("false", reader.Details["header"]);
        Assert.Equal(["column_1", "column_2", "column_3"], columns);
        Assert.Equal(3, rows.Count);
        Assert.Equal("1", rows[0][0]);
    }

    /// <summary>A wide table as the World Bank publishes it: a country, then a column per year.</summary>
    private static byte[] Wide(Func<int, int, string> value)
    {
        var csv = new StringBuilder("country,code," + string.Join(',', Enumerable.Range(1960, 12)) + "\n");
        for (var r = 0; r < 40; r++) csv.Append($"Country {r},C{r:00},").Append(string.Join(',', Enumerable.Range(0, 12).Select(y => value(r, y)))).Append('\n');
        return Tables.Utf8(csv.ToString());
    }

    [Fact]
    public async Task A_wide_table_whose_columns_are_named_by_years_is_read_with_its_header()
    {
        // Rates far below the years that name them, and populations among which 1960 could be a value but whose names rise by one.
        var rates = Wide((r, y) => (1.5 + r % 7 * 0.8 - y * 0.05).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
        var populations = Wide((r, y) => (1_000 + r * 97_331 % 5_000_000 + y * 1_200 + (r + 3) * y * y % 997).ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var table in new[] { rates, populations })
        {
            var (reader, columns, rows) = await Tables.ReadAsync(table, name: "wide.csv");
            Assert.Equal("true", reader.Details["header"]);
            Assert.Equal(["country", "code", "1960", "1961"], columns.Take(4));
            Assert.Equal(40, rows.Count);
        }
        // Contracts sealed before synthesis revision 9 read these files as they did: without a header.
        var (earlier, earlierColumns, earlierRows) = await Tables.ReadAsync(rates, name: "wide.csv", options: new TableReadOptions { HeaderNamesByValues = false });
        Assert.Equal("false", earlier.Details["header"]);
        Assert.Equal("column_3", earlierColumns[2]);
        Assert.Equal(41, earlierRows.Count);
    }

    [Fact]
    public async Task A_file_without_a_header_whose_rows_each_rise_by_one_keeps_its_first_row()
    {
        var (reader, columns, rows) = await Tables.ReadAsync(Tables.Utf8("3,4,5,6\n7,8,9,10\n11,12,13,14\n15,16,17,18\n"));
        Assert.Equal("false", reader.Details["header"]);
        Assert.Equal(["column_1", "column_2", "column_3", "column_4"], columns);
        Assert.Equal(4, rows.Count);
    }

    [Fact]
    public async Task Duplicated_and_blank_header_names_are_made_unique_with_a_warning()
    {
        var (reader, columns, rows) = await Tables.ReadAsync(Tables.Utf8("name,name,,name\na,b,c,d\n"));
        Assert.Equal(["name", "name_2", "column_3", "name_3"], columns);
        Assert.Equal(["a", "b", "c", "d"], rows[0]);
        Assert.Contains(reader.Warnings, w => w.Contains("\"name\" more than once") && w.Contains("\"name_2\""));
        Assert.Contains(reader.Warnings, w => w.Contains("column 3 has no name"));
    }

    [Fact]
    public async Task A_record_with_too_few_columns_is_refused_with_its_line_and_column()
    {
        var csv = "id,name,amount\n1,a,10\n2,b,20\n\"3\",\"multi\nline\",30\n4,d\n5,e,50\n";
        var ex = await Assert.ThrowsAsync<DatasetException>(() => Tables.ReadAsync(Tables.Utf8(csv)));
        // Line 6: the quoted line break in record 4 counts as a line.
        Assert.Equal("line 6, column 2 (\"name\"): the record ends after column 2; the header has 3 columns.", ex.Message);
    }

    [Fact]
    public async Task A_record_with_too_many_columns_is_refused_with_its_line()
    {
        var ex = await Assert.ThrowsAsync<DatasetException>(() => Tables.ReadAsync(Tables.Utf8("a,b\n1,2\n3,4,5\n")));
        Assert.Equal("line 3: found more than the 2 columns of the header (a delimiter in an unquoted field?).", ex.Message);
    }

    [Fact]
    public async Task An_unterminated_quote_and_text_after_a_closing_quote_are_refused_where_they_are()
    {
        var open = await Assert.ThrowsAsync<DatasetException>(() => Tables.ReadAsync(Tables.Utf8("a,b\n1,2\n3,\"never closed\n4,5\n")));
        Assert.StartsWith("line 3, column 2 (\"b\"): a quoted field that opens here is never closed", open.Message);
        var after = await Assert.ThrowsAsync<DatasetException>(() => Tables.ReadAsync(Tables.Utf8("a,b\n1,\"x\"y\n")));
        Assert.StartsWith("line 2, column 2 (\"b\"): unexpected 'y' after a closing quote", after.Message);
    }

    [Fact]
    public async Task Blank_lines_are_skipped_and_a_missing_final_line_break_is_fine()
    {
        var (_, _, rows) = await Tables.ReadAsync(Tables.Utf8("a,b\n1,2\n\n3,4\r\n\r\n5,6"));
        Assert.Equal([["1", "2"], ["3", "4"], ["5", "6"]], rows);
    }

    [Fact]
    public async Task Records_longer_than_the_read_buffer_and_many_batches_read_back_exactly()
    {
        var sb = new StringBuilder("id,text\n");
        var big = new string('x', 3 * 1024 * 1024);
        sb.Append("0,\"").Append(big).Append("\"\n");
        for (var i = 1; i < 40_000; i++) sb.Append(i).Append(",\"v").Append(i).Append("\"\n");
        var (_, _, rows) = await Tables.ReadAsync(Tables.Utf8(sb.ToString()));
        Assert.Equal(40_000, rows.Count);
        Assert.Equal(big, rows[0][1]);
        Assert.Equal(["39999", "v39999"], rows[^1]);
    }

    [Fact]
    public async Task Empty_and_binary_files_are_refused()
    {
        Assert.Throws<DatasetException>(() => DatasetFormatDetector.Detect([], "x.csv"));
        var binary = new byte[4096];
        new Random(1).NextBytes(binary);
        binary[10] = 0;
        var ex = Assert.Throws<DatasetException>(() => DatasetFormatDetector.Detect(binary, "x.bin"));
        Assert.Contains("not a supported format", ex.Message);
        await Assert.ThrowsAsync<DatasetException>(() => Tables.ReadAsync(Tables.Utf8("\n\n\n"), DatasetFormat.Csv));
    }
}
