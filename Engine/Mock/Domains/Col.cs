using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generators;

namespace RadMah.Engine.Mock.Domains;

/// <summary>Short constructors for the column specs domains are made of.</summary>
public static class Col
{
    private static ColumnSpec Make(string name, ColumnType type, string generator, JsonObject parameters) => new(name, type, generator, parameters);

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
    private static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());

    public static ColumnSpec Sequence(string name, string prefix, int width = 10) =>
        Make(name, ColumnType.String, "sequence", new() { ["prefix"] = prefix, ["width"] = width });

    public static ColumnSpec ForeignKey(string name, string prefix, long cardinality, double skew = 1.0, int width = 10) =>
        Make(name, ColumnType.String, "foreign_key", new() { ["prefix"] = prefix, ["width"] = width, ["cardinality"] = cardinality, ["skew"] = skew });

    public static ColumnSpec Categorical(string name, params (string Value, double Weight)[] options) =>
        Make(name, ColumnType.String, "categorical", new()
        {
            ["values"] = Strings(options.Select(o => o.Value)),
            ["weights"] = Numbers(options.Select(o => o.Weight)),
        });

    public static ColumnSpec DistinctCategorical(string name, string distinctFrom, params (string Value, double Weight)[] options)
    {
        var spec = Categorical(name, options);
        spec.Parameters["distinct_from"] = distinctFrom;
        return spec;
    }

    public static ColumnSpec Lookup(string name, string source, IEnumerable<(string Key, string Result)> table) =>
        Make(name, ColumnType.String, "lookup", new()
        {
            ["source"] = source,
            ["keys"] = Strings(table.Select(t => t.Key)),
            ["results"] = Strings(table.Select(t => t.Result)),
        });

    public static ColumnSpec Country(string name, DomainContext context) =>
        Categorical(name, context.Countries.Select(c => (c.Code, c.Weight)).ToArray());

    public static ColumnSpec Currency(string name, string countryColumn, DomainContext context) =>
        Lookup(name, countryColumn, context.Countries.Select(c => (c.Code, c.Currency)));

    public static ColumnSpec FirstName(string name = "first_name") =>
        Make(name, ColumnType.String, "person_name", new() { ["part"] = "first" });

    public static ColumnSpec LastName(string name = "last_name") =>
        Make(name, ColumnType.String, "person_name", new() { ["part"] = "last" });

    public static ColumnSpec PersonalEmail(string name = "email", string first = "first_name", string last = "last_name") =>
        Email(name, first, last, [("gmail.com", 38), ("yahoo.com", 12), ("outlook.com", 14), ("hotmail.com", 9), ("icloud.com", 11), ("proton.me", 3), ("example.com", 13)]);

    public static ColumnSpec Email(string name, string first, string last, (string Domain, double Weight)[] domains) =>
        Make(name, ColumnType.String, "email", new()
        {
            ["first"] = first,
            ["last"] = last,
            ["domains"] = Strings(domains.Select(d => d.Domain)),
            ["domain_weights"] = Numbers(domains.Select(d => d.Weight)),
        });

    public static ColumnSpec Username(string name = "username", string first = "first_name", string last = "last_name") =>
        Make(name, ColumnType.String, "username", new() { ["first"] = first, ["last"] = last });

    public static ColumnSpec Phone(string name, string countryColumn) =>
        Make(name, ColumnType.String, "phone", new() { ["country"] = countryColumn });

    public static ColumnSpec CardNumber(string name = "card_number") =>
        Make(name, ColumnType.String, "card_number", new()
        {
            // Visa, Mastercard (51–55 and 2221–2720 ranges), Discover; weighted by market share.
            ["prefixes"] = Strings(["4", "51", "52", "53", "54", "55", "2221", "6011"]),
            ["weights"] = Numbers([52, 6, 6, 6, 6, 6, 4, 4]),
        });

    public static ColumnSpec IpAddress(string name = "ip_address") => Make(name, ColumnType.String, "ip_address", new());

    public static ColumnSpec Template(string name, string separator, params string[][] parts) =>
        Make(name, ColumnType.String, "template", new()
        {
            ["separator"] = separator,
            ["parts"] = new JsonArray(parts.Select(p => (JsonNode)Strings(p)).ToArray()),
        });

    public static ColumnSpec FlightNumber(string name, params (string Carrier, double Weight)[] carriers) =>
        Make(name, ColumnType.String, "flight_number", new()
        {
            ["carriers"] = Strings(carriers.Select(c => c.Carrier)),
            ["weights"] = Numbers(carriers.Select(c => c.Weight)),
        });

    /// <summary>A money amount: log-normal with median e^mu, two decimals.</summary>
    public static ColumnSpec Amount(string name, double mu, double sigma, double min, double max) =>
        Make(name, ColumnType.Decimal, "lognormal", new() { ["mu"] = mu, ["sigma"] = sigma, ["min"] = min, ["max"] = max, ["scale"] = 2 });

    public static ColumnSpec Normal(string name, double mean, double std, double min, double max, int scale) =>
        Make(name, ColumnType.Decimal, "normal", new() { ["mean"] = mean, ["std"] = std, ["min"] = min, ["max"] = max, ["scale"] = scale });

    public static ColumnSpec Integer(string name, long min, long max, double skew = 1.0) =>
        Make(name, ColumnType.Int64, "integer", new() { ["min"] = min, ["max"] = max, ["skew"] = skew });

    public static ColumnSpec Boolean(string name, double pTrue) =>
        Make(name, ColumnType.Boolean, "boolean", new() { ["p_true"] = pTrue });

    public static ColumnSpec Timestamp(string name, DomainContext context) =>
        Make(name, ColumnType.Timestamp, "timestamp", new()
        {
            ["start"] = TimeWindow.FormatInstant(context.WindowStart),
            ["end"] = TimeWindow.FormatInstant(context.WindowEnd),
        });

    public static ColumnSpec TimestampAfter(string name, string baseColumn, long minSeconds, long maxSeconds) =>
        Make(name, ColumnType.Timestamp, "timestamp_offset", new() { ["base"] = baseColumn, ["min_seconds"] = minSeconds, ["max_seconds"] = maxSeconds });

    public static ColumnSpec Date(string name, DateOnly start, DateOnly end) =>
        Make(name, ColumnType.Date, "date", new() { ["start"] = TimeWindow.FormatDate(start), ["end"] = TimeWindow.FormatDate(end) });

    public static ColumnSpec DateInWindow(string name, DomainContext context) =>
        Date(name, DateOnly.FromDateTime(context.WindowStart), DateOnly.FromDateTime(context.WindowEnd));

    public static ColumnSpec DateAfter(string name, string baseColumn, int minDays, int maxDays) =>
        Make(name, ColumnType.Date, "date_offset", new() { ["base"] = baseColumn, ["min_days"] = minDays, ["max_days"] = maxDays });
}
