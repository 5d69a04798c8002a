using RadMah.Engine.Mock.Description;
using RadMah.Engine.Mock.Domains;

namespace RadMah.Engine.Tests;

public class DescriptionCompilerTests
{
    [Theory]
    [InlineData("customer records", "customers")]
    [InlineData("customer transaction records", "transactions")]
    [InlineData("card payments", "transactions")]
    [InlineData("e-commerce orders", "orders")]
    [InlineData("product catalog", "products")]
    [InlineData("employees of a mid-size company", "employees")]
    [InlineData("hospital patients", "patients")]
    [InlineData("unpaid invoices", "invoices")]
    [InlineData("IoT sensor readings", "sensor_readings")]
    [InlineData("airline flights", "flights")]
    [InlineData("user accounts", "user_accounts")]
    [InlineData("web sessions and events", "web_events")]
    [InlineData("customer support tickets", "support_tickets")]
    public void Each_domain_is_recognised(string description, string domain) =>
        Assert.Equal(domain, DescriptionCompiler.Compile(description, 100, 1).Contract.Domain);

    [Fact]
    public void There_are_at_least_twelve_domains() => Assert.True(MockDomains.All.Count >= 12);

    [Fact]
    public async Task Every_domain_generates_valid_output()
    {
        foreach (var domain in MockDomains.All)
        {
            var contract = DescriptionCompiler.Compile(domain.Keywords[0], 2_000, 3).Contract;
            var rows = Csv.Parse((await TestData.GenerateAsync(contract)).Csv);
            Assert.Equal(2_001, rows.Count);
            Assert.True(rows.All(r => r.Length == contract.Columns.Count), domain.Name);
            Assert.InRange(contract.Columns.Count, 8, 14);
        }
    }

    [Fact]
    public void With_phrases_add_columns_and_their_sources()
    {
        var compiled = DescriptionCompiler.Compile("orders with email, phone number and signup date", 100, 1);
        var names = compiled.Contract.Columns.Select(c => c.Name).ToList();
        Assert.Contains("email", names);
        Assert.Contains("phone", names);
        Assert.Contains("signup_date", names);
        Assert.True(names.IndexOf("first_name") < names.IndexOf("email"));
        Assert.Empty(compiled.Warnings);
    }

    [Fact]
    public async Task In_EUR_keeps_country_and_currency_in_agreement()
    {
        var compiled = DescriptionCompiler.Compile("customer transaction records in EUR", 3_000, 1);
        var rows = Csv.Parse((await TestData.GenerateAsync(compiled.Contract)).Csv);
        Assert.All(rows.Skip(1), r => Assert.Equal("EUR", r[5]));
        Assert.Contains(rows.Skip(1), r => r[4] == "DE");
        Assert.DoesNotContain(rows.Skip(1), r => r[4] == "US");
    }

    [Fact]
    public async Task For_a_year_sets_the_time_window()
    {
        var rows = Csv.Parse((await TestData.GenerateAsync(DescriptionCompiler.Compile("payments for 2023", 2_000, 1).Contract)).Csv);
        Assert.All(rows.Skip(1), r => Assert.StartsWith("2023-", r[9]));
        var span = DescriptionCompiler.Compile("orders from 2021 to 2022", 10, 1).Contract.Seal().CanonicalJson;
        Assert.Contains("\"start\":\"2021-01-01T00:00:00Z\"", span);
        Assert.Contains("\"end\":\"2023-01-01T00:00:00Z\"", span);
    }

    [Fact]
    public void Unknown_words_become_warnings_saying_what_was_chosen()
    {
        var compiled = DescriptionCompiler.Compile("quantum flux transactions", 100, 1);
        Assert.Equal("transactions", compiled.Contract.Domain);
        Assert.Contains(compiled.Warnings, w => w.Contains("'quantum'") && w.Contains("'transactions' chosen from 'transactions'"));
        Assert.Contains(compiled.Warnings, w => w.Contains("'flux'"));
    }

    [Fact]
    public void A_description_with_no_known_record_type_falls_back_with_a_warning()
    {
        var compiled = DescriptionCompiler.Compile("zorblax", 100, 1);
        Assert.Equal("customers", compiled.Contract.Domain);
        Assert.Contains(compiled.Warnings, w => w.Contains("no record type was recognised"));
    }

    [Fact]
    public void A_currency_no_country_uses_is_a_warning_not_an_error()
    {
        var compiled = DescriptionCompiler.Compile("payments in JPY", 100, 1);
        Assert.Contains(compiled.Warnings, w => w.Contains("jpy", StringComparison.OrdinalIgnoreCase));
    }
}
