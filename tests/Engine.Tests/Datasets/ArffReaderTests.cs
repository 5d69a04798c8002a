using System.Text;
using RadMah.Engine.Datasets;
using RadMah.Engine.Datasets.Arff;

namespace RadMah.Engine.Tests.Datasets;

/// <summary>Weka's ARFF read as Weka reads it: declared columns, quoting, missing values, sparse rows, and its refusals.</summary>
public class ArffReaderTests
{
    private const string Weather = """
        % The weather data, with every feature of the format a reader meets.
        % Comments before the header.

        @RELATION 'weather (mixed)'

        @attribute outlook {sunny, overcast, 'light rain'}
        @attribute temperature numeric
        @Attribute 'relative humidity' REAL
        @attribute windy {TRUE, FALSE}
        @attribute note string % a comment after a declaration
        @attribute observed date "yyyy-MM-dd HH:mm:ss"
        @attribute play{yes,no}

        @data
        sunny,85,85,FALSE,'it\'s hot',"2026-07-01 12:00:00",no
        overcast, 83.5 , 86 ,FALSE,"say \"hi\", then\tleave",?,yes
        % a comment between rows
        'light rain',?,96,TRUE,'?',"2026-07-03 09:30:00",yes

        sunny,-1.5e1,70,TRUE,'50\% off',?,no % and one after a row
        """;

    [Fact]
    public async Task A_weka_file_is_detected_by_its_header_and_read_a_column_per_attribute_across_batches()
    {
        var bytes = Tables.Utf8("\uFEFF" + Weather.Replace("\n", "\r\n"));
        // Content decides, whatever the name says.
        Assert.Equal(DatasetFormat.Arff, DatasetFormatDetector.Detect(bytes, "weather.csv"));
        var (reader, columns, rows) = await Tables.ReadAsync(bytes, options: new TableReadOptions { BatchRows = 2 });
        Assert.Equal(DatasetFormat.Arff, reader.Format);
        Assert.Equal(["outlook", "temperature", "relative humidity", "windy", "note", "observed", "play"], columns);
        Assert.Equal(4, rows.Count);
        Assert.Equal(["sunny", "85", "85", "FALSE", "it's hot", "2026-07-01 12:00:00", "no"], rows[0]);
        Assert.Equal(["overcast", "83.5", "86", "FALSE", "say \"hi\", then\tleave", null, "yes"], rows[1]);
        // A quoted ? is the text "?"; an unquoted one is missing.
        Assert.Equal(["light rain", null, "96", "TRUE", "?", "2026-07-03 09:30:00", "yes"], rows[2]);
        Assert.Equal(["sunny", "-1.5e1", "70", "TRUE", "50% off", null, "no"], rows[3]);
        Assert.Equal("weather (mixed)", reader.Details["relation"]);
        Assert.Equal("4", reader.Details["rows"]);
        Assert.Equal("7", reader.Details["columns"]);
        Assert.Equal("utf-8 (with BOM)", reader.Details["encoding"]);
        Assert.Equal("2 numeric, 3 nominal, 1 string, 1 date", reader.Details["attribute types"]);
    }

    [Fact]
    public async Task Weka_doubles_no_quote_inside_quotes_so_two_quoted_values_side_by_side_are_two_tokens()
    {
        // Weka's tokenizer ends a quoted value at its closing quote: 'it''s' is 'it' followed by 's', which is not a separator.
        var arff = "@relation r\n@attribute a string\n@attribute b string\n@data\n'it''s',x\n";
        var ex = await Assert.ThrowsAsync<DatasetException>(() => Tables.ReadAsync(Tables.Utf8(arff)));
        Assert.Equal("line 5: expected ',' after the value of \"a\", found '''.", ex.Message);
    }

    [Fact]
    public async Task Sparse_rows_leave_out_numbers_at_zero_and_nominal_values_at_their_first_declared_value()
    {
        var arff = """
            @relation sparse
            @attribute x numeric
            @attribute colour {red, green}
            @attribute y numeric
            @attribute label {a, b}
            @data
            {0 1.5, 3 b}
            {2 ?, 1 green}
            {}
            2,red,3,a
            """;
        var (reader, _, rows) = await Tables.ReadAsync(Tables.Utf8(arff));
        Assert.Equal(["1.5", "red", "0", "b"], rows[0]);
        Assert.Equal(["0", "green", null, "a"], rows[1]);
        Assert.Equal(["0", "red", "0", "a"], rows[2]);
        Assert.Equal(["2", "red", "3", "a"], rows[3]);
        Assert.Equal("3", reader.Details["sparse rows"]);
    }

    [Fact]
    public async Task A_windows_1252_file_is_read_as_text_in_its_encoding()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding(1252).GetBytes("@relation caf\u00e9s\n@attribute name string\n@attribute city {Z\u00fcrich, Gen\u00e8ve}\n@data\n'Caf\u00e9 du Lac',Gen\u00e8ve\n");
        var (reader, _, rows) = await Tables.ReadAsync(bytes);
        Assert.Equal(["Caf\u00e9 du Lac", "Gen\u00e8ve"], rows[0]);
        Assert.Equal("windows-1252", reader.Details["encoding"]);
    }

    [Theory]
    [InlineData("@relation r\n@attribute a numeric\n@data\n1\nabc\n", "line 5: \"abc\" is not a number, and \"a\" is numeric.")]
    [InlineData("@relation r\n@attribute c {yes, no}\n@data\nmaybe\n", "line 4: \"maybe\" is not one of the values declared for \"c\" (yes, no).")]
    [InlineData("@relation r\n@attribute a numeric\n@attribute b numeric\n@data\n1\n", "line 5: the row has 1 values; the header declares 2 attributes.")]
    [InlineData("@relation r\n@attribute a numeric\n@data\n1,2\n", "line 4: the row has more values than the 1 attributes of the header.")]
    [InlineData("@relation r\n@attribute a numeric\n@data\n1,{0.5}\n", "line 4: the row carries an instance weight")]
    [InlineData("@relation r\n@attribute a numeric\n@attribute s string\n@data\n{0 1}\n", "line 5: the sparse row leaves out \"s\", a string attribute")]
    [InlineData("@relation r\n@attribute a numeric\n@data\n{1 5}\n", "line 4: \"1\" is not an attribute index (0 to 0) in the sparse row.")]
    [InlineData("@relation r\n@attribute a numeric\n@data\n{0 1, 0 2}\n", "line 4: the sparse row gives attribute 0 (\"a\") twice.")]
    [InlineData("@relation r\n@attribute a string\n@data\n'open\n", "line 4: a value quoted with ' at character 1 is not closed on its line.")]
    [InlineData("@relation r\n@attribute bag relational\n@end bag\n@data\n", "line 2: the attribute \"bag\" is relational")]
    [InlineData("@relation r\n@attribute a numeric\n@attribute a string\n@data\n", "line 3: the attribute \"a\" is declared twice.")]
    [InlineData("@relation r\n@attribute a decimal\n@data\n", "line 2: the attribute \"a\" has the unknown type \"decimal\"")]
    [InlineData("@relation r\n@attribute c {}\n@data\n", "line 2: the nominal attribute \"c\" declares no values.")]
    [InlineData("@relation r\n@attribute c {a, b, a}\n@data\n", "line 2: the nominal attribute \"c\" lists \"a\" twice.")]
    [InlineData("@relation r\n@data\n", "line 2: the header declares no attribute.")]
    [InlineData("@relation r\n@attribute a numeric\n1,2\n", "line 3: expected @relation, @attribute or @data")]
    [InlineData("@relation r\n@attribute a numeric\n", "the ARFF header never reaches @data: the file has no rows.")]
    [InlineData("@relation r\n@attrib a numeric\n@data\n", "line 2: unknown declaration \"@attrib\"")]
    public async Task Bad_arff_is_refused_with_its_line_and_reason(string arff, string expected)
    {
        var ex = await Assert.ThrowsAsync<DatasetException>(() => Tables.ReadAsync(Tables.Utf8(arff), DatasetFormat.Arff));
        Assert.StartsWith(expected, ex.Message);
    }

    [Fact]
    public void Text_is_arff_only_when_its_first_declaration_is_relation()
    {
        Assert.Equal(DatasetFormat.Arff, DatasetFormatDetector.Detect(Tables.Utf8("% comment\n\n  @Relation x\n@attribute a numeric\n@data\n1\n"), null));
        Assert.Equal(DatasetFormat.Csv, DatasetFormatDetector.Detect(Tables.Utf8("@relations,count\na,1\nb,2\n"), null));
        Assert.Equal(DatasetFormat.Csv, DatasetFormatDetector.Detect(Tables.Utf8("name,note\nx,@relation y\n"), null));
    }

    [Fact]
    public async Task A_large_file_streams_in_batches_with_every_row_in_order()
    {
        var sb = new StringBuilder("@relation big\n@attribute i integer\n@attribute parity {even, odd}\n@data\n");
        for (var i = 0; i < 50_000; i++) sb.Append(i).Append(',').Append(i % 2 == 0 ? "even" : "odd").Append('\n');
        await using var reader = await ArffTableReader.OpenAsync(new MemoryStream(Tables.Utf8(sb.ToString())), batchRows: 16_384, TestContext.Current.CancellationToken);
        var (batches, next) = (0, 0L);
        await foreach (var batch in reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            using (batch)
            {
                Assert.Equal(next, batch.FirstRow);
                Assert.Equal(next.ToString(System.Globalization.CultureInfo.InvariantCulture), Tables.Cell(batch.Data.Column(0), 0));
                next += batch.RowCount;
                batches++;
            }
        }
        Assert.Equal(50_000, next);
        Assert.Equal(4, batches);
    }
}
