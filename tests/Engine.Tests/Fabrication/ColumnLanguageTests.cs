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
    public void Nullable_and_unique_modifiers_and_the_null_rate_reach_the_contract()
    {
        var (contract, _) = ColumnLanguage.Compile("columns: id (uuid, unique), note (gold, silver, nullable 12%), n (integer 1-9, 3% missing)", 10, 1);
        Assert.Equal(0.12, contract.Columns[1].NullRate, 9);
        Assert.Equal(0.03, contract.Columns[2].NullRate, 9);
        Assert.Equal("uuid", contract.Columns[0].Generator);
    }

    [Theory]
    [InlineData("customers 1,000: id (id), name (person name); orders 3-12 per customer: id (id), customer_id references customers.id", "several tables with keys")]
    [InlineData("", "description must not be empty")]
    [InlineData("columns: ()", "no column could be read")]
    public void Descriptions_it_cannot_compile_are_refused_clearly(string description, string message) =>
        Assert.Contains(message, Assert.Throws<ContractException>(() => ColumnLanguage.Compile(description, 10, 1)).Message);

    [Fact]
    public void A_huge_description_is_refused() =>
        Assert.Contains("at most 2000 characters", Assert.Throws<ContractException>(() => ColumnLanguage.Compile("columns: " + new string('a', 2100), 10, 1)).Message);
}
