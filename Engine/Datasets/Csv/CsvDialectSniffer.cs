using System.Globalization;

namespace RadMah.Engine.Datasets.Csv;

/// <summary>
/// Guesses a delimited file's dialect from its first few hundred records: the delimiter that splits
/// the records into the most consistent number of fields (quotes respected, so delimiters inside
/// quoted fields do not count), and whether the first record is a header, by voting column by
/// column as spreadsheet importers do (a text cell above numbers, or above values of another length, is a name).
/// </summary>
public static class CsvDialectSniffer
{
    private static readonly char[] Candidates = [',', '\t', ';', '|'];
    private const int MaxRecords = 200;

    /// <param name="namesByValues">
    /// Whether a number in the first record that its column's values show to be a name counts for a header: far outside the
    /// column's values (1960 above fertility rates), or one of a run of names increasing by one step across columns that the
    /// next record does not repeat (1960, 1961, 1962 above populations), as a wide table of years has. Without it, every
    /// number there counts against a header (before synthesis revision 9; <see cref="TableReadOptions.HeaderNamesByValues"/>).
    /// </param>
    public static CsvDialect Sniff(string sample, bool preferTab = false, char? delimiter = null, bool? header = null, bool namesByValues = true)
    {
        var chosen = delimiter ?? ChooseDelimiter(sample, preferTab);
        var records = Split(sample, chosen, '"', MaxRecords);
        return new CsvDialect(chosen, '"', header ?? LooksLikeHeader(records, namesByValues));
    }

    private static char ChooseDelimiter(string sample, bool preferTab)
    {
        var order = preferTab ? Candidates.OrderBy(c => c == '\t' ? 0 : 1).ToArray() : Candidates;
        char best = ',';
        var bestScore = double.MinValue;
        foreach (var candidate in order)
        {
            var records = Split(sample, candidate, '"', MaxRecords);
            if (records.Count == 0) continue;
            var counts = records.GroupBy(r => r.Count).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key).First();
            if (counts.Key < 2) continue;
            // Consistency first; more fields only break near-ties (a comma inside text splits some records unevenly).
            var score = (double)counts.Count() / records.Count + Math.Min(counts.Key, 50) * 1e-4;
            if (score > bestScore + 1e-9)
            {
                bestScore = score;
                best = candidate;
            }
        }
        return best;
    }

    /// <summary>Splits text into records of fields (RFC 4180 quoting); the last record is dropped when the sample cuts it off.</summary>
    public static List<List<string>> Split(string text, char delimiter, char quote, int maxRecords)
    {
        var records = new List<List<string>>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var inQuotes = false;
        var complete = false;
        for (var i = 0; i < text.Length && records.Count < maxRecords; i++)
        {
            var c = text[i];
            complete = false;
            if (inQuotes)
            {
                if (c != quote) field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == quote) { field.Append(quote); i++; }
                else inQuotes = false;
                continue;
            }
            if (c == quote && field.Length == 0) inQuotes = true;
            else if (c == delimiter) { fields.Add(field.ToString()); field.Clear(); }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields.Add(field.ToString());
                field.Clear();
                if (!(fields.Count == 1 && fields[0].Length == 0)) records.Add(fields);
                fields = [];
                complete = true;
            }
            else field.Append(c);
        }
        // A final record without a line end counts only if the sample is the whole file (short files).
        if (!complete && !inQuotes && (fields.Count > 0 || field.Length > 0) && text.Length < DatasetFormatDetector.HeadBytes / 2 && records.Count < maxRecords)
        {
            fields.Add(field.ToString());
            records.Add(fields);
        }
        return records;
    }

    private static bool LooksLikeHeader(List<List<string>> records, bool namesByValues)
    {
        if (records.Count == 0) return true;
        var first = records[0];
        var body = records.Skip(1).Where(r => r.Count == first.Count).ToList();
        if (body.Count == 0) return first.All(f => f.Trim().Length > 0 && !IsNumber(f));
        var run = namesByValues ? NameRun(first, body[0]) : [];
        var votes = 0;
        for (var c = 0; c < first.Count; c++)
        {
            var name = first[c].Trim();
            var values = body.Select(r => r[c].Trim()).Where(v => v.Length > 0).ToList();
            if (values.Count == 0) continue;
            var numeric = values.Count(IsNumber) >= values.Count * 0.8;
            if (numeric && IsNumber(name) && namesByValues && (run.Contains(c) || FarOutside(name, values))) votes++;
            else if (numeric) votes += IsNumber(name) ? -1 : 1;
            else if (values.Contains(name)) votes--;
            else
            {
                var lengths = values.Select(v => v.Length).Distinct().ToList();
                if (lengths.Count == 1) votes += lengths[0] != name.Length ? 1 : -1;
            }
        }
        if (votes != 0) return votes > 0;
        return first.All(f => f.Trim().Length > 0 && !IsNumber(f)) && first.Distinct().Count() == first.Count;
    }

    private static bool IsNumber(string s) => Number(s) is not null;

    private static double? Number(string s) =>
        double.TryParse(s.Trim().Replace(",", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    /// <summary>Whether <paramref name="name"/> lies beyond the column's values by more than their whole range (a data row's value seldom does).</summary>
    private static bool FarOutside(string name, List<string> values)
    {
        double min = double.MaxValue, max = double.MinValue;
        foreach (var v in values)
            if (Number(v) is { } x)
            {
                min = Math.Min(min, x);
                max = Math.Max(max, x);
            }
        if (min > max || Number(name) is not { } n) return false;
        var span = Math.Max(max - min, Math.Max(Math.Abs(max), 1) * 1e-9);
        return n < min - span || n > max + span;
    }

    /// <summary>
    /// The columns of the first record's longest run of at least three neighbouring whole numbers that rise by one same step
    /// (years: 1960, 1961, 1962), where the next record's cells in those columns do not rise so too.
    /// </summary>
    private static HashSet<int> NameRun(List<string> first, List<string> next)
    {
        var numbers = first.Select(Number).ToArray();
        int runFrom = 0, bestFrom = 0, bestLength = 0;
        double? step = null;
        for (var c = 1; c < numbers.Length; c++)
        {
            if (Rise(numbers[c - 1], numbers[c]) is not { } rise)
            {
                step = null;
                continue;
            }
            if (step != rise)
            {
                runFrom = c - 1;
                step = rise;
            }
            if (c - runFrom + 1 > bestLength) (bestFrom, bestLength) = (runFrom, c - runFrom + 1);
        }
        if (bestLength < 3) return [];
        var below = next.Skip(bestFrom).Take(bestLength).Select(Number).ToArray();
        var rises = Enumerable.Range(1, below.Length - 1).Select(i => Rise(below[i - 1], below[i])).ToArray();
        if (rises.All(r => r is not null && r == rises[0])) return [];
        return [.. Enumerable.Range(bestFrom, bestLength)];
    }

    /// <summary>How much a whole number rises to the next, when both are whole and it does rise.</summary>
    private static double? Rise(double? from, double? to) =>
        from is { } a && to is { } b && a == Math.Floor(a) && b == Math.Floor(b) && b > a ? b - a : null;
}
