using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Description;

namespace RadMah.Engine.Tests;

public class ContractSealingTests
{
    [Fact]
    public void Same_description_and_seed_give_the_same_digest()
    {
        var a = TestData.Contract(seed: 7).Seal();
        var b = TestData.Contract(seed: 7).Seal();
        Assert.Equal(a.Digest, b.Digest);
        Assert.Equal(a.CanonicalJson, b.CanonicalJson);
        Assert.Matches("^sha256:[0-9a-f]{64}$", a.Digest);
    }

    [Fact]
    public void A_different_seed_gives_a_different_digest_and_different_rows()
    {
        var a = TestData.Contract(seed: 1);
        var b = TestData.Contract(seed: 2);
        Assert.NotEqual(a.Seal().Digest, b.Seal().Digest);
        Assert.Equal(a.Columns.Select(c => c.Name), b.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task A_different_seed_gives_different_rows()
    {
        var (csvA, _) = await TestData.GenerateAsync(TestData.Contract(seed: 1, rows: 1000));
        var (csvB, _) = await TestData.GenerateAsync(TestData.Contract(seed: 2, rows: 1000));
        var rowsA = Csv.Parse(csvA);
        var rowsB = Csv.Parse(csvB);
        Assert.Equal(rowsA[0], rowsB[0]);
        var differing = Enumerable.Range(1, 1000).Count(i => rowsA[i][3] != rowsB[i][3]);
        Assert.True(differing > 900, $"only {differing} of 1000 amounts differ between seeds");
    }

    public static TheoryData<string> EveryDomain()
    {
        var data = new TheoryData<string>();
        foreach (var domain in Mock.Domains.MockDomains.All) data.Add($"{domain.Keywords[0]} records in EUR for 2025 with \"quoted\" notes\n\u00e9t\u00e9");
        return data;
    }

    /// <summary>Sealing writes canonical JSON straight from the contract; it must be the canonical form of the contract's document, byte for byte.</summary>
    [Theory]
    [MemberData(nameof(EveryDomain))]
    public void The_sealed_text_is_the_canonical_form_of_the_contract_document(string description)
    {
        var contract = TestData.Contract(description, rows: 123_456, seed: 9_007_199_254_740_991);
        var sealedContract = contract.Seal();
        Assert.Equal(CanonicalJson.SerializeToString(contract.ToJson()), sealedContract.CanonicalJson);
        Assert.Equal(SealedContract.DigestOf(System.Text.Encoding.UTF8.GetBytes(sealedContract.CanonicalJson)), sealedContract.Digest);
        // Parsing takes each column's params out of the parsed document; sealing the result gives the same text again.
        Assert.Equal(sealedContract, MockContract.Parse(sealedContract.CanonicalJson).Seal());
    }

    [Fact]
    public void Parsing_a_sealed_contract_gives_back_the_same_seal()
    {
        var sealedContract = TestData.Contract("flights for 2024", rows: 5000, seed: 9).Seal();
        var parsed = MockContract.Parse(sealedContract.CanonicalJson);
        Assert.Equal(sealedContract, parsed.Seal());
    }

    [Fact]
    public void The_contract_names_algorithm_chunking_rows_and_seed()
    {
        var json = TestData.Contract(rows: 1234, seed: 99).Seal().CanonicalJson;
        Assert.Contains("\"prng\":\"splitmix64-row-column/1\"", json);
        Assert.Contains("\"chunk_rows\":65536", json);
        Assert.Contains("\"rows\":1234", json);
        Assert.Contains("\"seed\":99", json);
    }

    [Theory]
    [InlineData("""{"contract_version":"radmah.mock/2"}""", "contract_version")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "JSON object")]
    public void Bad_contract_documents_are_refused_with_a_reason(string json, string reason)
    {
        var ex = Assert.Throws<ContractException>(() => MockContract.Parse(json));
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void A_tampered_column_is_refused()
    {
        var json = TestData.Contract(rows: 10).Seal().CanonicalJson.Replace("\"generator\":\"card_number\"", "\"generator\":\"no_such_generator\"");
        var contract = MockContract.Parse(json);
        var ex = Assert.Throws<ContractException>(() => new Mock.Generation.MockDatasetGenerator(contract));
        Assert.Contains("unknown generator 'no_such_generator'", ex.Message);
    }

    [Theory]
    [InlineData(0L, "rows must be between 1 and")]
    [InlineData(-5L, "rows must be between 1 and")]
    [InlineData(1_000_000_001L, "rows must be between 1 and")]
    public void Rows_outside_the_limits_are_refused(long rows, string message)
    {
        var ex = Assert.Throws<ContractException>(() => DescriptionCompiler.Compile("customers", rows, 1));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Row_limits_are_inclusive()
    {
        Assert.Equal(1, DescriptionCompiler.Compile("customers", 1, 1).Contract.Rows);
        Assert.Equal(1_000_000_000, DescriptionCompiler.Compile("customers", 1_000_000_000, 1).Contract.Rows);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_descriptions_are_refused(string description) =>
        Assert.Contains("description must not be empty", Assert.Throws<ContractException>(() => DescriptionCompiler.Compile(description, 10, 1)).Message);

    [Fact]
    public void Oversized_descriptions_are_refused()
    {
        Assert.Equal(2000, DescriptionCompiler.Compile(new string('x', 2000), 10, 1).Contract.Description.Length);
        var ex = Assert.Throws<ContractException>(() => DescriptionCompiler.Compile(new string('x', 2001), 10, 1));
        Assert.Contains("at most 2000 characters", ex.Message);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(9_007_199_254_740_992L)]
    public void Seeds_outside_exact_JSON_integers_are_refused(long seed) =>
        Assert.Contains("seed must be between 0 and", Assert.Throws<ContractException>(() => DescriptionCompiler.Compile("orders", 10, seed)).Message);
}
