using System.Globalization;
using System.Text.RegularExpressions;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Domains;
using RadMah.Engine.Mock.Vocabulary;

namespace RadMah.Engine.Mock.Description;

/// <summary>
/// Compiles a natural-language description ("customer transaction records in EUR for 2025 with
/// email") into a mock contract. It picks a record type, applies time window and currency
/// phrases, and adds requested columns. Words it does not understand never fail the job: they
/// become warnings that say what was chosen instead.
/// </summary>
public static partial class DescriptionCompiler
{
    /// <summary>The window used when the description names no year: the calendar year 2025, fixed so contracts never depend on today's date.</summary>
    public const int DefaultYear = 2025;

    private static readonly (string Phrase, string Token)[] Phrases =
    [
        ("date of birth", "date_of_birth"), ("birth date", "birth_date"), ("sign up date", "signup_date"), ("signup date", "signup_date"),
        ("sign-up date", "signup_date"), ("registration date", "registration_date"), ("join date", "join_date"), ("e-mail", "email"),
        ("email address", "email_address"), ("phone number", "phone_number"), ("mobile number", "mobile_number"), ("full name", "full_name"),
        ("ip address", "ip_address"), ("card number", "card_number"), ("credit card", "credit_card"), ("created at", "created_at"),
        ("device readings", "device_readings"),
    ];

    private static readonly Dictionary<string, string> CurrencyWords = new()
    {
        ["euro"] = "EUR", ["euros"] = "EUR", ["dollar"] = "USD", ["dollars"] = "USD", ["pound"] = "GBP", ["pounds"] = "GBP",
        ["sterling"] = "GBP", ["franc"] = "CHF", ["francs"] = "CHF", ["rupee"] = "INR", ["rupees"] = "INR", ["real"] = "BRL", ["reais"] = "BRL",
        ["peso"] = "MXN", ["pesos"] = "MXN", ["krona"] = "SEK", ["kronor"] = "SEK", ["zloty"] = "PLN",
    };

    private static readonly HashSet<string> StopWords =
    [
        "a", "an", "the", "of", "for", "with", "and", "or", "in", "on", "at", "to", "from", "between", "during", "per", "each", "by",
        "including", "include", "includes", "plus", "having", "has", "have", "their", "its", "some", "all", "that", "which", "as",
        "record", "records", "row", "rows", "data", "dataset", "datasets", "table", "tables", "list", "lists", "sample", "samples",
        "synthetic", "fake", "mock", "realistic", "random", "generate", "generated", "test", "example", "entries", "entry", "log", "logs", "history",
    ];

    public static CompiledDescription Compile(string description, long rows, long seed)
    {
        MockContract.ValidateDescription(description);
        MockContract.ValidateRows(rows);
        MockContract.ValidateSeed(seed);

        var warnings = new List<string>();
        var text = description.ToLowerInvariant();
        foreach (var (phrase, token) in Phrases) text = text.Replace(phrase, token, StringComparison.Ordinal);
        var tokens = WordPattern().Matches(text).Select(m => m.Value).ToList();

        var domainHits = new List<(IMockDomain Domain, string Word)>();
        var requested = new List<string>();
        var years = new List<int>();
        string? currency = null;
        var unknown = new List<string>();

        foreach (var token in tokens)
        {
            var domain = MockDomains.All.FirstOrDefault(d => d.Keywords.Contains(token));
            if (domain is not null) { domainHits.Add((domain, token)); continue; }
            if (ExtraColumns.Words.TryGetValue(token, out var column)) { requested.Add(column); continue; }
            if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1970 and <= 2100 && token.Length == 4) { years.Add(year); continue; }
            var upper = token.ToUpperInvariant();
            if (Countries.Currencies.Contains(upper)) { currency = SetCurrency(currency, upper, warnings); continue; }
            if (CurrencyWords.TryGetValue(token, out var code)) { currency = SetCurrency(currency, code, warnings); continue; }
            if (StopWords.Contains(token)) continue;
            unknown.Add(token);
        }

        IMockDomain chosen;
        string because;
        if (domainHits.Count == 0)
        {
            chosen = MockDomains.Default;
            because = $"no record type was recognised, so '{chosen.Name}' was generated (known: {string.Join(", ", MockDomains.All.Select(d => d.Name))})";
            warnings.Add(because);
        }
        else
        {
            var best = domainHits.OrderByDescending(h => h.Domain.Priority).First();
            chosen = best.Domain;
            because = $"'{chosen.Name}' chosen from '{best.Word}'";
        }
        foreach (var word in unknown.Distinct())
            warnings.Add($"did not understand '{word}'; ignored it ({because})");

        var (start, end) = Window(years, warnings);
        var context = new DomainContext(rows, start, end, currency);
        if (currency is not null && !context.Countries.Any())
        {
            warnings.Add($"no country in the vocabulary uses {currency}; generated all countries with their own currencies instead");
            context = context with { Currency = null };
        }
        var columns = chosen.Build(context).ToList();
        foreach (var column in requested.Distinct()) ExtraColumns.Add(column, columns, context);
        if (context.Currency is not null && !columns.Any(c => c.Name == "currency"))
            warnings.Add($"'{chosen.Name}' records carry no money columns; the currency {context.Currency} only narrows the countries");

        var contract = new MockContract(description, chosen.Name, rows, seed, columns);
        contract.Validate();
        return new CompiledDescription(contract, warnings);
    }

    private static string SetCurrency(string? current, string next, List<string> warnings)
    {
        if (current is not null && current != next)
            warnings.Add($"several currencies named; used {next} instead of {current}");
        return next;
    }

    private static (DateTime Start, DateTime End) Window(List<int> years, List<string> warnings)
    {
        if (years.Count == 0) return (new DateTime(DefaultYear, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(DefaultYear + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        if (years.Count > 2) warnings.Add($"more than two years named; used {years.Min()} to {years.Max()}");
        return (new DateTime(years.Min(), 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(years.Max() + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc));
    }

    [GeneratedRegex("[a-z0-9_]+")]
    private static partial Regex WordPattern();
}
