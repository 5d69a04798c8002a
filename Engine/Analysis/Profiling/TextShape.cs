namespace RadMah.Engine.Analysis.Profiling;

/// <summary>What one text value looks like; a value can have several shapes (0 is an integer and a boolean).</summary>
[Flags]
public enum TextShape : uint
{
    None = 0,
    /// <summary>A whole number (thousands separators, a currency or a percent sign allowed).</summary>
    Integer = 1 << 0,
    /// <summary>A number with decimals or an exponent.</summary>
    Decimal = 1 << 1,
    /// <summary>Digits only, starting with 0 and longer than one digit: a code rather than a number.</summary>
    LeadingZero = 1 << 2,
    /// <summary>true/false, yes/no, y/n, t/f in any case.</summary>
    Boolean = 1 << 3,
    /// <summary>Exactly 0 or 1.</summary>
    ZeroOne = 1 << 4,
    Date = 1 << 5,
    DateTime = 1 << 6,
    Email = 1 << 7,
    Url = 1 << 8,
    IpAddress = 1 << 9,
    /// <summary>A phone number: 7 to 15 digits with a leading + or separators (plain digit runs are integers).</summary>
    Phone = 1 << 10,
    Uuid = 1 << 11,
    /// <summary>A number with a currency symbol ($ € £ ¥ ₹) or an ISO currency code.</summary>
    Currency = 1 << 12,
    Percent = 1 << 13,
    /// <summary>An ISO 3166 alpha-2 or alpha-3 code.</summary>
    CountryCode = 1 << 14,
    /// <summary>A UK, Canadian, Dutch or US ZIP+4 postal code (plain 4–6 digit codes need the column name to say so).</summary>
    PostalCode = 1 << 15,
    /// <summary>13 to 19 digits (spaces or dashes allowed) that pass the Luhn check.</summary>
    CardNumber = 1 << 16,
    Iban = 1 << 17,
    /// <summary>The US social security number shape ###-##-####.</summary>
    NationalId = 1 << 18,
    /// <summary>Whitespace between words.</summary>
    Whitespace = 1 << 19,
    /// <summary>One to four capitalised words of letters (apostrophes and hyphens allowed).</summary>
    PersonName = 1 << 20,
    /// <summary>A number written with thousands separators.</summary>
    Thousands = 1 << 21,
    /// <summary>A number written with a decimal comma (1.234,56).</summary>
    DecimalComma = 1 << 22,
    /// <summary>Has an upper-case letter or digit followed by digits after a prefix (INV-00012, cus_0042): an identifier's look.</summary>
    CodeLike = 1 << 23,
}

public static class TextShapes
{
    /// <summary>The shapes one counts for type inference, with their profile names.</summary>
    public static readonly (TextShape Shape, string Name)[] Counted =
    [
        (TextShape.Integer, "integer"), (TextShape.Decimal, "decimal"), (TextShape.LeadingZero, "leading_zero_digits"),
        (TextShape.Boolean, "boolean"), (TextShape.ZeroOne, "zero_one"), (TextShape.Date, "date"), (TextShape.DateTime, "datetime"),
        (TextShape.Email, "email"), (TextShape.Url, "url"), (TextShape.IpAddress, "ip_address"), (TextShape.Phone, "phone"),
        (TextShape.Uuid, "uuid"), (TextShape.Currency, "currency"), (TextShape.Percent, "percent"), (TextShape.CountryCode, "country_code"),
        (TextShape.PostalCode, "postal_code"), (TextShape.CardNumber, "card_number"), (TextShape.Iban, "iban"),
        (TextShape.NationalId, "national_id"), (TextShape.Whitespace, "whitespace"), (TextShape.PersonName, "person_name"),
        (TextShape.Thousands, "thousands_separators"), (TextShape.DecimalComma, "decimal_comma"), (TextShape.CodeLike, "code_like"),
    ];
}
