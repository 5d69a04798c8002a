namespace RadMah.Engine.Analysis.Profiling;

/// <summary>The semantic types analyze reports.</summary>
public static class SemanticTypes
{
    public const string Integer = "integer", Decimal = "decimal", Boolean = "boolean", Date = "date", DateTime = "datetime";
    public const string Categorical = "categorical", FreeText = "free_text", Identifier = "identifier", Email = "email", Phone = "phone";
    public const string Url = "url", IpAddress = "ip_address", PostalCode = "postal_code", Currency = "currency_amount", CountryCode = "country_code";
    public const string Latitude = "latitude", Longitude = "longitude", PersonName = "person_name", Empty = "empty";

    public static bool IsNumeric(string type) => type is Integer or Decimal or Currency or Latitude or Longitude;

    public static bool IsTemporal(string type) => type is Date or DateTime;
}

/// <summary>A column's inferred type: the type, the share of values that fit it, and how many do not.</summary>
public sealed record TypeDecision(string Type, double Confidence, long Invalid);

/// <summary>
/// Decides a column's semantic type from what one pass counted. A shape must cover at least 90% of
/// the non-missing values (95% for booleans and UUIDs) to name the column; the rest are reported as
/// invalid. Strings that fit no pattern are categorical (few distinct values that repeat), an
/// identifier (nearly all distinct, no spaces), a person name, or free text.
/// </summary>
public static class TypeInference
{
    public const int MaxCategories = 1_000;

    public static TypeDecision Decide(ColumnProfiler p, ColumnNameHints hints)
    {
        var n = p.Present;
        if (n == 0) return new(SemanticTypes.Empty, 0, 0);
        return p.IsText ? DecideText(p, hints, n) : DecideTyped(p, hints, n);
    }

    private static TypeDecision DecideTyped(ColumnProfiler p, ColumnNameHints hints, long n)
    {
        var distinct = p.Distinct;
        switch (p.PhysicalType)
        {
            case "bool": return new(SemanticTypes.Boolean, 1, 0);
            case "timestamp": return new(SemanticTypes.DateTime, 1, 0);
            case "date32": return new(SemanticTypes.Date, 1, 0);
        }
        var min = p.NumberMin;
        var max = p.NumberMax;
        if (hints.Latitude && min >= -90 && max <= 90) return new(SemanticTypes.Latitude, 1, 0);
        if (hints.Longitude && min >= -180 && max <= 180) return new(SemanticTypes.Longitude, 1, 0);
        if (p.PhysicalType == "int64" || p.AllIntegers)
        {
            if (distinct.Count <= 2 && min >= 0 && max <= 1 && hints.BooleanLike) return new(SemanticTypes.Boolean, 1, 0);
            if (hints.Postal && p.PhysicalType == "int64") return new(SemanticTypes.PostalCode, 1, 0);
            if (hints.Id && distinct.Exact && distinct.Count == n) return new(SemanticTypes.Identifier, 1, 0);
            return new(SemanticTypes.Integer, 1, 0);
        }
        return new(SemanticTypes.Decimal, 1, 0);
    }

    private static TypeDecision DecideText(ColumnProfiler p, ColumnNameHints hints, long n)
    {
        double S(TextShape shape) => p.Share(shape);
        long C(TextShape shape) => p.ShapeCount(shape);
        TypeDecision Fit(string type, long fitting) => new(type, Math.Round((double)fitting / n, 6), n - fitting);

        if (S(TextShape.Boolean) >= 0.95) return Fit(SemanticTypes.Boolean, C(TextShape.Boolean));
        if (S(TextShape.ZeroOne) >= 0.99 && hints.BooleanLike) return Fit(SemanticTypes.Boolean, C(TextShape.ZeroOne));
        if (S(TextShape.Uuid) >= 0.95) return Fit(SemanticTypes.Identifier, C(TextShape.Uuid));
        if (S(TextShape.Email) >= 0.9) return Fit(SemanticTypes.Email, C(TextShape.Email));
        if (S(TextShape.Url) >= 0.9) return Fit(SemanticTypes.Url, C(TextShape.Url));
        if (S(TextShape.IpAddress) >= 0.9) return Fit(SemanticTypes.IpAddress, C(TextShape.IpAddress));
        var dates = p.DateValues;
        if ((double)dates / n >= 0.9)
            return Fit(C(TextShape.DateTime) >= C(TextShape.Date) ? SemanticTypes.DateTime : SemanticTypes.Date, dates);

        var numbers = p.NumberCount;
        var numeric = (double)numbers / n;
        if (hints.Postal && (double)(numbers + C(TextShape.PostalCode)) / n >= 0.9 && p.AllIntegers)
            return Fit(SemanticTypes.PostalCode, numbers + C(TextShape.PostalCode));
        if (S(TextShape.PostalCode) >= 0.9) return Fit(SemanticTypes.PostalCode, C(TextShape.PostalCode));
        if (hints.Phone && (double)(C(TextShape.Phone) + C(TextShape.Integer)) / n >= 0.9) return Fit(SemanticTypes.Phone, C(TextShape.Phone) + C(TextShape.Integer));
        if (S(TextShape.Phone) >= 0.9) return Fit(SemanticTypes.Phone, C(TextShape.Phone));
        if (S(TextShape.CardNumber) >= 0.9 || S(TextShape.Iban) >= 0.9 || S(TextShape.NationalId) >= 0.9)
            return Fit(SemanticTypes.Identifier, Math.Max(C(TextShape.CardNumber), Math.Max(C(TextShape.Iban), C(TextShape.NationalId))));
        if (numeric >= 0.9)
        {
            var min = p.NumberMin;
            var max = p.NumberMax;
            if (S(TextShape.Currency) >= 0.5) return Fit(SemanticTypes.Currency, numbers);
            if (hints.Latitude && min >= -90 && max <= 90) return Fit(SemanticTypes.Latitude, numbers);
            if (hints.Longitude && min >= -180 && max <= 180) return Fit(SemanticTypes.Longitude, numbers);
            // Numbers with leading zeros (007, 01234) are codes: arithmetic on them is meaningless.
            if (S(TextShape.LeadingZero) >= 0.1) return Fit(SemanticTypes.Identifier, numbers);
            if (p.AllIntegers)
            {
                var distinct = p.Distinct;
                if (hints.Id && distinct.Exact && distinct.Count == n) return Fit(SemanticTypes.Identifier, numbers);
                return Fit(SemanticTypes.Integer, numbers);
            }
            return Fit(SemanticTypes.Decimal, numbers);
        }
        if (S(TextShape.CountryCode) >= 0.9 && p.Distinct.Count <= 300) return Fit(SemanticTypes.CountryCode, C(TextShape.CountryCode));

        var d = p.Distinct.Count;
        var ratio = (double)d / n;
        var spaced = S(TextShape.Whitespace);
        if (S(TextShape.PersonName) >= 0.8 && hints.PersonName) return Fit(SemanticTypes.PersonName, C(TextShape.PersonName));
        // A column named …_id holds keys, however few of them repeat (a foreign key into a small table).
        if (hints.Id && spaced < 0.1) return new(SemanticTypes.Identifier, Math.Round(1 - spaced, 6), 0);
        if (d <= MaxCategories && (ratio <= 0.5 || d <= 20 && n >= 2 * d))
        {
            // Confidence: the share of values that repeat (a category seen once may be noise).
            var repeated = p.Top.IsExact ? p.Top.All().Where(v => v.Count > 1).Sum(v => v.Count) : n;
            return new(SemanticTypes.Categorical, Math.Round((double)repeated / n, 6), 0);
        }
        if (ratio >= 0.95 && spaced < 0.5) return new(SemanticTypes.Identifier, Math.Round(Math.Min(1, ratio), 6), 0);
        // Too many values to be categories, and no spaces: keys of something (a foreign key repeats its values).
        if (spaced < 0.1) return new(SemanticTypes.Identifier, Math.Round(1 - spaced, 6), 0);
        return new(SemanticTypes.FreeText, Math.Round(Math.Max(spaced, 1 - ratio), 6), 0);
    }

    /// <summary>Kinds of personal data the column seems to hold.</summary>
    public static IReadOnlyList<string> Pii(ColumnProfiler p, ColumnNameHints hints, string type)
    {
        var flags = new List<string>();
        if (type == SemanticTypes.Email || p.IsText && p.Share(TextShape.Email) >= 0.5) flags.Add("email");
        if (type == SemanticTypes.Phone) flags.Add("phone");
        if (type == SemanticTypes.PersonName || p.IsText && hints.PersonName && p.Share(TextShape.PersonName) >= 0.7) flags.Add("person_name");
        if (type == SemanticTypes.IpAddress) flags.Add("ip_address");
        if (type == SemanticTypes.PostalCode) flags.Add("postal_code");
        if (p.IsText && p.Share(TextShape.CardNumber) >= 0.5) flags.Add("card_number");
        if (p.IsText && p.Share(TextShape.Iban) >= 0.5) flags.Add("iban");
        if (p.IsText && p.Share(TextShape.NationalId) >= 0.5) flags.Add("national_id");
        if (SemanticTypes.IsTemporal(type) && hints.Birth) flags.Add("date_of_birth");
        if (type is SemanticTypes.Latitude or SemanticTypes.Longitude) flags.Add("location");
        return flags;
    }
}
