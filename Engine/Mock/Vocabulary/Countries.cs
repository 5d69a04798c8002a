namespace RadMah.Engine.Mock.Vocabulary;

/// <summary>A country with the facts generated columns must agree on.</summary>
public sealed record CountryInfo(string Code, string Currency, string CallingCode, double Weight);

/// <summary>Countries weighted roughly by their share of online card commerce.</summary>
public static class Countries
{
    public static readonly CountryInfo[] All =
    [
        new("US", "USD", "1", 34), new("GB", "GBP", "44", 9), new("DE", "EUR", "49", 8), new("FR", "EUR", "33", 6),
        new("CA", "CAD", "1", 5), new("AU", "AUD", "61", 4), new("IN", "INR", "91", 4), new("BR", "BRL", "55", 4),
        new("ES", "EUR", "34", 3.5), new("IT", "EUR", "39", 3.5), new("NL", "EUR", "31", 3), new("MX", "MXN", "52", 3),
        new("SE", "SEK", "46", 2), new("CH", "CHF", "41", 2), new("IE", "EUR", "353", 1.5), new("BE", "EUR", "32", 1.5),
        new("PL", "PLN", "48", 1.5), new("AT", "EUR", "43", 1.2), new("SG", "SGD", "65", 1.2), new("NZ", "NZD", "64", 0.8),
        new("PT", "EUR", "351", 0.8), new("FI", "EUR", "358", 0.6), new("NO", "NOK", "47", 0.6), new("DK", "DKK", "45", 0.6),
    ];

    public static readonly string[] Currencies = All.Select(c => c.Currency).Distinct().ToArray();
}
