using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using RadMah.Engine.Mock.Generators;
using RadMah.Engine.Mock.Vocabulary;
using RadMah.Engine.Output;

namespace RadMah.Engine.Tests;

public class DatasetOutputTests
{
    [Fact]
    public async Task Output_is_identical_with_one_thread_and_with_several()
    {
        // 200,000 rows span four chunks, so chunk boundaries and ordering are exercised.
        var contract = TestData.Contract(rows: 200_000);
        var one = await TestData.GenerateAsync(contract, parallelism: 1);
        var four = await TestData.GenerateAsync(contract, parallelism: 4);
        var two = await TestData.GenerateAsync(contract, parallelism: 2);
        Assert.Equal(TestData.Sha(one.Csv), TestData.Sha(four.Csv));
        Assert.Equal(TestData.Sha(one.Csv), TestData.Sha(two.Csv));
        Assert.Equal(TestData.Sha(one.Arrow), TestData.Sha(four.Arrow));
    }

    [Fact]
    public async Task A_row_does_not_depend_on_how_many_rows_follow_it()
    {
        var small = Csv.Parse((await TestData.GenerateAsync(TestData.Contract(rows: 70_000))).Csv);
        var large = Csv.Parse((await TestData.GenerateAsync(TestData.Contract(rows: 140_000))).Csv);
        // Column customer_id's id space grows with rows; every other column of row k is the same.
        for (var row = 1; row <= 70_000; row += 997)
            for (var c = 0; c < small[0].Length; c++)
                if (small[0][c] != "customer_id") Assert.Equal(small[row][c], large[row][c]);
    }

    [Fact]
    public async Task Csv_parses_back_with_the_right_rows_columns_and_types()
    {
        var contract = TestData.Contract(rows: 70_001);
        var rows = Csv.Parse((await TestData.GenerateAsync(contract)).Csv);
        Assert.Equal(70_002, rows.Count);
        Assert.Equal(["transaction_id", "customer_id", "card_number", "amount", "country", "currency", "merchant_category", "channel", "status", "created_at"], rows[0]);
        var countries = Countries.All.ToDictionary(c => c.Code);
        var ids = new HashSet<string>();
        var customerSpace = contract.Columns.Single(c => c.Name == "customer_id").GetInteger("cardinality");
        foreach (var row in rows.Skip(1))
        {
            Assert.Equal(10, row.Length);
            Assert.Matches("^txn_[0-9]{10}$", row[0]);
            Assert.True(ids.Add(row[0]), "transaction ids are unique");
            Assert.Matches("^cus_[0-9]{10}$", row[1]);
            Assert.InRange(long.Parse(row[1][4..], CultureInfo.InvariantCulture), 1, customerSpace);
            Assert.True(Luhn.IsValid(row[2]), $"{row[2]} is not Luhn-valid");
            Assert.Equal(16, row[2].Length);
            Assert.Matches(@"^[0-9]+\.[0-9]{2}$", row[3]);
            Assert.InRange(decimal.Parse(row[3], CultureInfo.InvariantCulture), 0.5m, 25_000m);
            Assert.Equal(countries[row[4]].Currency, row[5]);
            var at = DateTime.ParseExact(row[9], "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            Assert.InRange(at, new DateTime(2025, 1, 1), new DateTime(2025, 12, 31, 23, 59, 59));
        }
    }

    [Fact]
    public async Task Amounts_are_log_normal_and_categories_are_skewed()
    {
        var rows = Csv.Parse((await TestData.GenerateAsync(TestData.Contract(rows: 100_000))).Csv).Skip(1).ToList();
        var logs = rows.Select(r => Math.Log((double)decimal.Parse(r[3], CultureInfo.InvariantCulture))).ToArray();
        var mean = logs.Average();
        var sd = Math.Sqrt(logs.Select(l => (l - mean) * (l - mean)).Average());
        Assert.InRange(mean, 3.5, 3.7);   // mu = 3.6
        Assert.InRange(sd, 0.95, 1.05);   // sigma = 1.0
        var approved = rows.Count(r => r[8] == "approved") / (double)rows.Count;
        Assert.InRange(approved, 0.915, 0.935); // weight 92.5 of 100
        var us = rows.Count(r => r[4] == "US") / (double)rows.Count;
        Assert.InRange(us, 0.30, 0.38);
    }

    [Fact]
    public async Task Emails_are_derived_from_the_row_s_name()
    {
        var rows = Csv.Parse((await TestData.GenerateAsync(TestData.Contract("customers", rows: 5_000))).Csv);
        var header = rows[0].ToList();
        int first = header.IndexOf("first_name"), last = header.IndexOf("last_name"), email = header.IndexOf("email"), country = header.IndexOf("country"), phone = header.IndexOf("phone");
        foreach (var row in rows.Skip(1))
        {
            static string Letters(string s) => new(s.ToLowerInvariant().Where(char.IsAsciiLetterLower).ToArray());
            Assert.StartsWith(Letters(row[first]) + "." + Letters(row[last]), row[email]);
            Assert.Matches(@"^[a-z.]+[0-9]*@[a-z.-]+$", row[email]);
            Assert.StartsWith("+" + Countries.All.First(c => c.Code == row[country]).CallingCode, row[phone]);
        }
    }

    [Fact]
    public async Task Derived_times_follow_their_base_and_destinations_differ_from_origins()
    {
        var flights = Csv.Parse((await TestData.GenerateAsync(TestData.Contract("flights", rows: 5_000))).Csv);
        var h = flights[0].ToList();
        foreach (var row in flights.Skip(1))
        {
            Assert.NotEqual(row[h.IndexOf("origin")], row[h.IndexOf("destination")]);
            Assert.True(string.CompareOrdinal(row[h.IndexOf("scheduled_arrival")], row[h.IndexOf("scheduled_departure")]) > 0);
        }
        var invoices = Csv.Parse((await TestData.GenerateAsync(TestData.Contract("invoices", rows: 5_000))).Csv);
        var hi = invoices[0].ToList();
        foreach (var row in invoices.Skip(1))
        {
            var issued = DateOnly.ParseExact(row[hi.IndexOf("issued_on")], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var due = DateOnly.ParseExact(row[hi.IndexOf("due_on")], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.InRange(due.DayNumber - issued.DayNumber, 14, 60);
        }
    }

    [Fact]
    public async Task Arrow_file_reads_back_with_the_same_values_as_the_csv()
    {
        var contract = TestData.Contract("customers", rows: 70_000);
        var (csvBytes, arrowBytes) = await TestData.GenerateAsync(contract);
        var csv = Csv.Parse(csvBytes);
        using var reader = new ArrowFileReader(new MemoryStream(arrowBytes));
        var schema = reader.Schema;
        Assert.Equal(csv[0], schema.FieldsList.Select(f => f.Name));
        Assert.IsType<StringType>(schema.GetFieldByName("email").DataType);
        Assert.IsType<Date32Type>(schema.GetFieldByName("signup_date").DataType);
        Assert.Equal(2, Assert.IsType<Decimal128Type>(schema.GetFieldByName("lifetime_value").DataType).Scale);
        Assert.IsType<BooleanType>(schema.GetFieldByName("is_active").DataType);
        Assert.Equal(2, await reader.RecordBatchCountAsync());
        var row = 1;
        for (var b = 0; b < 2; b++)
        {
            using var batch = await reader.ReadRecordBatchAsync(b, TestContext.Current.CancellationToken);
            for (var i = 0; i < batch.Length; i += 101, row += 101)
            {
                var expected = csv[1 + b * 65_536 + i];
                Assert.Equal(expected[0], ((StringArray)batch.Column("customer_id")).GetString(i));
                Assert.Equal(expected[3], ((StringArray)batch.Column("email")).GetString(i));
                Assert.Equal(expected[6], ((Date32Array)batch.Column("signup_date")).GetDateOnly(i)!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                Assert.Equal(decimal.Parse(expected[8], CultureInfo.InvariantCulture), ((Decimal128Array)batch.Column("lifetime_value")).GetValue(i));
                Assert.Equal(expected[9], ((BooleanArray)batch.Column("is_active")).GetValue(i)!.Value ? "true" : "false");
            }
        }
        Assert.Equal(70_000, csv.Count - 1);
    }

    [Fact]
    public async Task Timestamps_are_UTC_seconds_in_arrow()
    {
        var (csvBytes, arrowBytes) = await TestData.GenerateAsync(TestData.Contract(rows: 100));
        var csv = Csv.Parse(csvBytes);
        using var reader = new ArrowFileReader(new MemoryStream(arrowBytes));
        using var batch = await reader.ReadNextRecordBatchAsync(TestContext.Current.CancellationToken);
        var type = Assert.IsType<TimestampType>(batch!.Schema.GetFieldByName("created_at").DataType);
        Assert.Equal(TimeUnit.Second, type.Unit);
        Assert.Equal("UTC", type.Timezone);
        var ts = ((TimestampArray)batch.Column("created_at")).GetTimestamp(0)!.Value;
        Assert.Equal(csv[1][9], ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Cancellation_stops_a_large_write_quickly()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            MockDatasetWriter.WriteAsync(TestData.Contract(rows: 500_000_000), Stream.Null, null, new DatasetWriteOptions { Parallelism = 2 }, cts.Token));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2), "cancel took longer than the 1 s budget plus slack");
    }

    [Fact]
    public async Task Fields_with_commas_quotes_or_newlines_are_quoted()
    {
        var columns = new List<Contracts.ColumnSpec>
        {
            Mock.Domains.Col.Categorical("text", ("plain", 1), ("with, comma", 1), ("say \"hi\"", 1), ("two\r\nlines", 1)),
        };
        var contract = new Contracts.MockContract("quoting", "custom", 400, 1, columns);
        var rows = Csv.Parse((await TestData.GenerateAsync(contract)).Csv);
        Assert.Equal(new HashSet<string> { "plain", "with, comma", "say \"hi\"", "two\r\nlines" }, rows.Skip(1).Select(r => r[0]).ToHashSet());
    }
}
