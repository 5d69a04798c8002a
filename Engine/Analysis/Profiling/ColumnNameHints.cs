namespace RadMah.Engine.Analysis.Profiling;

/// <summary>
/// What a column's name suggests. Names only break ties the values leave open: five-digit numbers
/// are postal codes in a column called zip and integers elsewhere; a decimal within ±90 is a
/// latitude only in a column called lat or latitude.
/// </summary>
public sealed record ColumnNameHints(bool Id, bool Latitude, bool Longitude, bool Postal, bool Phone, bool PersonName, bool Birth, bool BooleanLike)
{
    public static ColumnNameHints Of(string name)
    {
        var n = Normalize(name);
        var parts = n.Split('_', StringSplitOptions.RemoveEmptyEntries);
        bool Has(params string[] words) => parts.Any(words.Contains);
        bool Contains(params string[] fragments) => fragments.Any(n.Contains);
        return new ColumnNameHints(
            Id: parts.Length > 0 && (parts[^1] is "id" or "uuid" or "guid" or "key" || n.EndsWith("id", StringComparison.Ordinal) && n.Length > 2 && !n.EndsWith("paid", StringComparison.Ordinal) && !n.EndsWith("valid", StringComparison.Ordinal)),
            Latitude: Has("lat", "latitude") || n.EndsWith("latitude", StringComparison.Ordinal),
            Longitude: Has("lon", "lng", "long", "longitude") || n.EndsWith("longitude", StringComparison.Ordinal),
            Postal: Contains("zip", "postal", "postcode", "plz") || Has("post", "pin"),
            Phone: Contains("phone", "mobile", "fax") || Has("tel", "cell", "telephone"),
            PersonName: Has("name", "firstname", "lastname", "surname", "forename", "fullname") && !Has("file", "user", "host", "product", "company", "domain", "item", "brand", "city", "street", "country", "category", "tag"),
            Birth: Contains("birth", "dob") || Has("born"),
            BooleanLike: parts.Length > 0 && (parts[0] is "is" or "has" or "can" or "was" or "should" || Has("flag", "active", "enabled", "deleted", "verified", "churned")));
    }

    /// <summary>Lower case, runs of other characters as one underscore, camelCase split ("customerId" → customer_id).</summary>
    public static string Normalize(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 4);
        char previous = '_';
        foreach (var c in name.Trim())
        {
            if (char.IsUpper(c) && char.IsLower(previous)) sb.Append('_');
            if (char.IsLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
            else if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
            previous = c;
        }
        return sb.ToString().Trim('_');
    }
}
