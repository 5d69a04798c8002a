using System.Globalization;
using System.Text;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Datasets;

namespace RadMah.Engine.Tests.Analysis;

public class ForeignKeyTests
{
    private static async Task<ForeignKeys.Table> TableAsync(string id, string csv)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        await using var reader = await TableReaders.OpenAsync(new MemoryStream(bytes), DatasetFormat.Csv, id + ".csv", null, TestContext.Current.CancellationToken);
        var result = await TableProfiler.ProfileWithColumnsAsync(reader, new DatasetInfo { Name = id, ContentHash = "sha256:" + new string('0', 64), Format = "csv", SizeBytes = bytes.Length },
            new ProfileOptions { KeySignatures = true }, TestContext.Current.CancellationToken);
        return ForeignKeys.Table.From(id, result);
    }

    [Fact]
    public async Task A_column_whose_values_lie_in_another_tables_key_is_a_candidate_foreign_key_in_either_direction()
    {
        var customers = new StringBuilder("customer_id,name,region\n");
        for (var i = 1; i <= 5000; i++) customers.Append(CultureInfo.InvariantCulture, $"CUS-{i:D5},Customer {i},{new[] { "north", "south" }[i % 2]}\n");
        var orders = new StringBuilder("order_id,customer_id,coupon,region\n");
        var random = new Random(3);
        for (var i = 1; i <= 20000; i++)
            orders.Append(CultureInfo.InvariantCulture, $"ORD-{i:D6},CUS-{random.Next(1, 4001):D5},CPN-{random.Next(1, 900):D4},{new[] { "north", "south" }[i % 2]}\n");
        var c = await TableAsync("ds_customers", customers.ToString());
        var o = await TableAsync("ds_orders", orders.ToString());

        var found = ForeignKeys.Find(o, [c]);
        var key = Assert.Single(found);
        Assert.Equal(("ds_orders", "customer_id", "ds_customers", "customer_id"), (key.Dataset, key.Column, key.ReferencesDataset, key.ReferencesColumn));
        Assert.Equal(1.0, key.Containment);
        // Seen from the other side, the same key is found.
        Assert.Equal(found, ForeignKeys.Find(c, [o]));
    }

    [Fact]
    public async Task Values_mostly_outside_the_key_are_no_foreign_key()
    {
        var keys = new StringBuilder("id\n");
        for (var i = 0; i < 3000; i++) keys.Append(CultureInfo.InvariantCulture, $"K{i:D5}\n");
        var refs = new StringBuilder("ref_id\n");
        // Half the references point at ids the key table does not have.
        for (var i = 0; i < 3000; i++) refs.Append(CultureInfo.InvariantCulture, $"K{i * 2:D5}\n");
        Assert.Empty(ForeignKeys.Find(await TableAsync("ds_refs", refs.ToString()), [await TableAsync("ds_keys", keys.ToString())]));
    }
}
