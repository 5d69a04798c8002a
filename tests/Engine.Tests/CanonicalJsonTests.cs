using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;

namespace RadMah.Engine.Tests;

public class CanonicalJsonTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(100.0, "100")]
    [InlineData(0.5, "0.5")]
    [InlineData(-1.25, "-1.25")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(123456789.123, "123456789.123")]
    [InlineData(4.5e-320, "4.5e-320")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(9007199254740991.0, "9007199254740991")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    public void Numbers_are_written_as_ECMAScript_writes_them(double value, string expected) =>
        Assert.Equal(expected, CanonicalJson.FormatNumber(value));

    [Fact]
    public void Members_are_sorted_by_UTF16_code_units_and_whitespace_is_dropped()
    {
        var node = JsonNode.Parse("""{ "b": [3, {"z": 1, "a": "x"}], "a": true, "\u00e9": null, "B": "q\"\\\n\u0001" }""")!;
        Assert.Equal("""{"B":"q\"\\\n\u0001","a":true,"b":[3,{"a":"x","z":1}],"é":null}""", CanonicalJson.SerializeToString(node));
    }

    [Fact]
    public void Non_finite_numbers_are_refused()
    {
        Assert.Throws<ContractException>(() => CanonicalJson.FormatNumber(double.NaN));
        Assert.Throws<ContractException>(() => CanonicalJson.FormatNumber(double.PositiveInfinity));
    }
}
