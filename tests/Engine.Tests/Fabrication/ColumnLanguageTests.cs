using RadMah.Engine.Contracts;
using RadMah.Engine.Fabrication;

namespace RadMah.Engine.Tests.Fabrication;

/// <summary>fabricate's built-in compiler on a corpus of descriptions, with the contracts and the warnings each must give.</summary>
public class ColumnLanguageTests
{
    [Fact]
    public void The_issues_example_becomes_six_typed_columns_without_a_warning()
    {
        var (contract, warnings) = ColumnLanguage.Compile(
            "columns: id (uuid), name (person name), age (integer 18-90), plan (free 70%, pro 25%, enterprise 5%), signup (date in 2024), email (from name)", 500, 3);
        Assert.Equal(["id", "name", "age", "plan", "signup", "email"], contract.Columns.Select(c => c.Name));
        Assert.Equal(["uuid", "person_name", "integer", "categorical", "date", "email"], contract.Columns.Select(c => c.Generator));
        Assert.Equal((18L, 90L), (contract.Columns[2].GetInteger("min"), contract.Columns[2].GetInteger("max")));
        Assert.Equal(["free", "pro", "enterprise"], contract.Columns[3].GetStrings("values"));
        Assert.Equal([70.0, 25.0, 5.0], contract.Columns[3].GetNumbers("weights"));
        Assert.Equal(("2024-01-01", "2025-01-01"), (contract.Columns[4].GetString("start"), contract.Columns[4].GetString("end")));
        Assert.Equal(500, contract.Rows);
        // A full-name column cannot feed an e-mail (it needs first and last names): said, not hidden.
        Assert.Contains(warnings, w => w.Contains("an e-mail follows a name only from separate first and last name columns"));
    }

    public static TheoryData<string, string, string, string?> Corpus() => new()
    {
        { "first_name (first name), last_name (last name), email (from name)", "email", "email", null },
        { "columns: score (decimal 0.5-9.75), nullable_note (text)", "score", "quantile_decimal", "'text' is not a type this compiler knows" },
        { "columns: code (integer 1-100, unique)", "code", "unique_integer", null },
        { "columns: seen (timestamp in 2023), ok (boolean)", "seen", "timestamp", null },
        { "columns: tier (gold, silver, bronze)", "tier", "categorical", null },
        { "columns: tier (gold 50%, silver 30%, bronze 30%)", "tier", "categorical", "add up to 110%" },
        { "columns: visit (date 2024-03-01 to 2024-03-31)", "visit", "date", null },
        { "columns: age (integer 90-18)", "age", "integer", "is backwards" },
        { "columns: mood (integer)", "mood", "integer", "an integer without a range: 0-1000" },
        { "columns: phone_id (sequence), ghost (wibble)", "ghost", "sequence", "'wibble' is not a type" },
        { "customer records with email", "email", "email", "no explicit columns" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void A_description_compiles_to_its_column_and_warnings(string description, string column, string generator, string? warning)
    {
        var (contract, warnings) = ColumnLanguage.Compile(description, 100, 1);
        Assert.Equal(generator, contract.Columns.Single(c => c.Name == column).Generator);
        if (warning is null) Assert.DoesNotContain(warnings, w => w.Contains(column, StringComparison.Ordinal));
        else Assert.Contains(warnings, w => w.Contains(warning, StringComparison.Ordinal));
    }

    [Fact]
    public void A_date_format_is_kept_as_written_and_a_bad_one_is_a_warning()
    {
        var (contract, warnings) = ColumnLanguage.Compile("columns: born (date in 1990, format dd/MM/yyyy), seen (timestamp in 2024, format yyyy-MM-dd HH:mm), n (integer 1-5, format x)", 10, 1);
        Assert.Equal("dd/MM/yyyy", contract.Columns[0].DateFormat);
        Assert.Equal("yyyy-MM-dd HH:mm", contract.Columns[1].DateFormat);
        Assert.Contains(warnings, w => w.Contains("only dates and timestamps take a format"));
        var (_, bad) = ColumnLanguage.Compile("columns: born (date in 1990, format " + new string('y', 70) + ")", 10, 1);
        Assert.Contains(bad, w => w.Contains("is not a date format"));
    }

    [Fact]
    public void Nullable_and_unique_modifiers_and_the_null_rate_reach_the_contract()
    {
        var (contract, _) = ColumnLanguage.Compile("columns: id (uuid, unique), note (gold, silver, nullable 12%), n (integer 1-9, 3% missing)", 10, 1);
        Assert.Equal(0.12, contract.Columns[1].NullRate, 9);
        Assert.Equal(0.03, contract.Columns[2].NullRate, 9);
        Assert.Equal("uuid", contract.Columns[0].Generator);
    }

    [Theory]
    [InlineData("customers 1,000: id (id); orders 3-12 per shop: id (id)", "child tables belong to the first table, customers")]
    [InlineData("customers 1,000: id (id); orders: id (id)", "table 2 needs a name and how many rows each customer has")]
    [InlineData("customers 1,000: id (id); orders 3-12 per customer: customer_id references customers.nope", "which is not a column of customers")]
    [InlineData("columns: customer_id references customers.id", "only a child table")]
    [InlineData("", "description must not be empty")]
    [InlineData("columns: ()", "no column could be read")]
    public void Descriptions_it_cannot_compile_are_refused_clearly(string description, string message) =>
        Assert.Contains(message, Assert.Throws<ContractException>(() => ColumnLanguage.Compile(description, 10, 1)).Message);

    [Fact]
    public void A_huge_description_is_refused() =>
        Assert.Contains("at most 2000 characters", Assert.Throws<ContractException>(() => ColumnLanguage.Compile("columns: " + new string('a', 2100), 10, 1)).Message);

    [Fact]
    public void Two_tables_with_a_key_become_a_parent_and_a_child_table_whose_key_is_the_parents_id()
    {
        var (contract, warnings) = ColumnLanguage.Compile(
            "customers 1,000: id (uuid), name (person name), plan (free 70%, pro 30%); orders 3-12 per customer: id (id), customer_id references customers.id, amount (decimal 5-500), placed (date in 2024)", 0, 9);
        Assert.Equal(1_000, contract.Rows);
        Assert.Equal(["id", "name", "plan"], contract.Columns.Select(c => c.Name));
        Assert.Equal("sequence", contract.Columns[0].Generator);
        Assert.Contains(warnings, w => w.Contains("customers.id is referenced by orders.customer_id: it is written as a sequence of ids"));
        var orders = Assert.Single(contract.Tables);
        Assert.Equal(("orders", 3, 12), (orders.Name, orders.MinPerParent, orders.MaxPerParent));
        Assert.Equal(["id", "customer_id", "amount", "placed"], orders.Columns.Select(c => c.Name));
        var child = contract.ChildContract(0);
        Assert.InRange(child.Rows, 3_000, 12_000);
        Assert.Equal(contract.Rows + child.Rows, contract.TotalRows);
        // The sealed form reads back to the same contract.
        var sealedContract = contract.Seal();
        Assert.Equal(sealedContract.Digest, MockContract.Parse(sealedContract.CanonicalJson).Seal().Digest);
    }

    [Fact]
    public async Task Every_generated_foreign_key_resolves_and_every_parent_has_its_count_of_children()
    {
        var (contract, _) = ColumnLanguage.Compile("shops 300: id (id), city (Lyon, Oslo); sales 0-5 per shop: shop_id references shops.id, total (decimal 1-90)", 0, 4);
        static async Task<string[]> Csv(MockContract c)
        {
            using var stream = new MemoryStream();
            await Output.MockDatasetWriter.WriteAsync(c, stream, null, new Output.DatasetWriteOptions { Parallelism = 2 }, TestContext.Current.CancellationToken);
            return System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        }
        var shops = (await Csv(contract)).Skip(1).Select(l => l.Split(',')[0]).ToList();
        var child = contract.ChildContract(0);
        var sales = (await Csv(child)).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal(child.Rows, sales.Count);
        Assert.All(sales, key => Assert.Contains(key, shops));
        var perShop = sales.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(perShop.Values, n => Assert.InRange(n, 1, 5));
        // Children come grouped by parent, in parent order.
        Assert.Equal(sales.Distinct().ToList(), sales.Distinct().Order(StringComparer.Ordinal).ToList());
    }
}
