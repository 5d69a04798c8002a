using System.Net;

namespace RadMah.Engine.Analysis.Profiling;

/// <summary>What <see cref="ValueClassifier"/> found in one text value.</summary>
public ref struct ClassifiedValue
{
    /// <summary>The value without surrounding whitespace.</summary>
    public ReadOnlySpan<byte> Text;
    public bool Missing;
    public TextShape Shape;
    /// <summary>Set when <see cref="Shape"/> has Integer or Decimal.</summary>
    public ParsedNumber Number;
    /// <summary>Readings as a date or date-time (two for a day/month-ambiguous value).</summary>
    public int DateReadings;
    /// <summary>Length in characters.</summary>
    public int Length;
}

/// <summary>
/// Classifies one text value (UTF-8, as read from the file) into the shapes type inference counts.
/// Missing values are recognised in their usual spellings: empty, NA, N/A, null, None, NaN, nil, -,
/// --, ?, #N/A, missing, (null), (blank), undefined, in any case. Nothing here allocates.
/// </summary>
public static class ValueClassifier
{
    private static readonly byte[][] MissingTokens =
    [
        .. new[] { "na", "n/a", "nan", "null", "none", "nil", "-", "--", "?", "#n/a", "missing", "(null)", "(blank)", "undefined", "n.a.", "#null!" }
            .Select(t => System.Text.Encoding.ASCII.GetBytes(t)),
    ];

    private static readonly byte[][] BooleanWords =
    [
        .. new[] { "true", "false", "yes", "no", "y", "n", "t", "f" }.Select(t => System.Text.Encoding.ASCII.GetBytes(t)),
    ];

    /// <summary>
    /// The spellings pandas reads as missing by default (read_csv's na_values), case as written.
    /// A category column's other missing-looking words ("none", "missing", "-") are read as values
    /// when data is made from it, so what comes out reads back in pandas as what went in.
    /// </summary>
    private static readonly HashSet<string> PandasMissing = new(StringComparer.Ordinal)
    {
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null", "(null)",
    };

    /// <summary>Whether a missing spelling is one pandas reads as missing too ("(null)" stands for an absent value).</summary>
    public static bool IsMissingInPandas(string spelling) => PandasMissing.Contains(spelling);

    public static bool IsMissingToken(ReadOnlySpan<byte> trimmed)
    {
        if (trimmed.IsEmpty) return true;
        if (trimmed.Length > 10) return false;
        foreach (var token in MissingTokens)
            if (trimmed.Length == token.Length && EqualsIgnoreCase(trimmed, token)) return true;
        return false;
    }

    public static void Classify(ReadOnlySpan<byte> raw, ref ClassifiedValue result, scoped Span<DateReading> dates)
    {
        var t = raw.Trim(" \t\r\n"u8);
        result.Text = t;
        result.Shape = TextShape.None;
        result.DateReadings = 0;
        result.Missing = IsMissingToken(t);
        if (result.Missing)
        {
            result.Length = 0;
            return;
        }
        var nonAscii = t.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0;
        result.Length = nonAscii ? CharCount(t) : t.Length;
        var shape = TextShape.None;
        var first = t[0];
        var whitespace = t.IndexOfAny(" \t"u8) >= 0;
        if (whitespace) shape |= TextShape.Whitespace;
        if (t.Length <= 5 && IsBooleanWord(t)) shape |= TextShape.Boolean;

        // Without digits a value can only be a word, an address, a country code or a name.
        if (t.IndexOfAnyInRange((byte)'0', (byte)'9') < 0)
        {
            if (!nonAscii && !whitespace)
            {
                if (IsEmail(t)) shape |= TextShape.Email;
                else if (IsUrl(t)) shape |= TextShape.Url;
                if (CountryCodes.IsCode(t)) shape |= TextShape.CountryCode;
            }
            if (IsPersonName(t)) shape |= TextShape.PersonName;
            result.Shape = shape;
            return;
        }

        if (t.Length <= 64 && (IsDigit(first) || first is (byte)'-' or (byte)'+' or (byte)'(' or (byte)'.' or (byte)'$' || first >= 0x80 || IsUpper(first))
            && NumberParser.TryParse(t, out var number))
        {
            result.Number = number;
            shape |= number.IsInteger ? TextShape.Integer : TextShape.Decimal;
            if (number.LeadingZero) shape |= TextShape.LeadingZero;
            if (number.Currency) shape |= TextShape.Currency;
            if (number.Percent) shape |= TextShape.Percent;
            if (number.Thousands) shape |= TextShape.Thousands;
            if (number.DecimalComma) shape |= TextShape.DecimalComma;
            if (t.Length == 1 && first is (byte)'0' or (byte)'1') shape |= TextShape.ZeroOne;
            // A number is no date, address, phone or code; long digit runs may be card numbers.
            if (t.Length >= 13 && IsCardNumber(t)) shape |= TextShape.CardNumber;
            result.Shape = shape;
            return;
        }
        if (!nonAscii && t.Length >= 6)
        {
            result.DateReadings = DateParser.Parse(t, dates);
            for (var i = 0; i < result.DateReadings; i++) shape |= dates[i].HasTime ? TextShape.DateTime : TextShape.Date;
        }
        if (!nonAscii)
        {
            if (!whitespace && IsEmail(t)) shape |= TextShape.Email;
            else if (!whitespace && IsUrl(t)) shape |= TextShape.Url;
            if (!whitespace && IsIpAddress(t)) shape |= TextShape.IpAddress;
            if (IsUuid(t)) shape |= TextShape.Uuid;
            if (IsSsn(t)) shape |= TextShape.NationalId;
            else if ((shape & (TextShape.Date | TextShape.DateTime | TextShape.IpAddress)) == 0 && IsPhone(t)) shape |= TextShape.Phone;
            if (IsPostalCode(t)) shape |= TextShape.PostalCode;
            if (IsCardNumber(t)) shape |= TextShape.CardNumber;
            if (IsIban(t)) shape |= TextShape.Iban;
            if (!whitespace && IsCodeLike(t)) shape |= TextShape.CodeLike;
        }
        if (IsPersonName(t)) shape |= TextShape.PersonName;
        result.Shape = shape;
    }

    private static int CharCount(ReadOnlySpan<byte> t)
    {
        var n = 0;
        foreach (var b in t) if ((b & 0xC0) != 0x80) n++;
        return n;
    }

    private static bool IsBooleanWord(ReadOnlySpan<byte> t)
    {
        foreach (var word in BooleanWords)
            if (t.Length == word.Length && EqualsIgnoreCase(t, word)) return true;
        return false;
    }

    private static bool IsEmail(ReadOnlySpan<byte> t)
    {
        var at = t.IndexOf((byte)'@');
        if (at <= 0 || at != t.LastIndexOf((byte)'@') || at > 64) return false;
        var domain = t[(at + 1)..];
        var dot = domain.LastIndexOf((byte)'.');
        if (dot <= 0 || domain.Length - dot - 1 < 2) return false;
        foreach (var c in domain) if (!(IsLetterOrDigit(c) || c is (byte)'-' or (byte)'.')) return false;
        foreach (var c in t[..at]) if (!(IsLetterOrDigit(c) || c is (byte)'.' or (byte)'_' or (byte)'-' or (byte)'+' or (byte)'%' or (byte)'\'')) return false;
        return true;
    }

    private static bool IsUrl(ReadOnlySpan<byte> t) =>
        t.Length > 7 && (StartsWithIgnoreCase(t, "http://"u8) || StartsWithIgnoreCase(t, "https://"u8) || StartsWithIgnoreCase(t, "ftp://"u8) || StartsWithIgnoreCase(t, "www."u8) && t.Length > 6);

    private static bool IsIpAddress(ReadOnlySpan<byte> t)
    {
        if (t.Length is < 7 or > 45) return false;
        if (t.IndexOf((byte)':') < 0)
        {
            var parts = 0;
            var value = -1;
            foreach (var c in t)
            {
                if (c == '.')
                {
                    if (value < 0) return false;
                    parts++;
                    value = -1;
                }
                else if (IsDigit(c))
                {
                    value = value < 0 ? c - '0' : value * 10 + (c - '0');
                    if (value > 255) return false;
                }
                else return false;
            }
            return parts == 3 && value >= 0;
        }
        // IPv6 needs at least two colons; times (12:30:00) have no hex letters and fail the parse too.
        if (t.Count((byte)':') < 2) return false;
        Span<char> chars = stackalloc char[t.Length];
        for (var i = 0; i < t.Length; i++) chars[i] = (char)t[i];
        return IPAddress.TryParse(chars, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
    }

    private static bool IsUuid(ReadOnlySpan<byte> t)
    {
        if (t.Length == 36)
        {
            for (var i = 0; i < 36; i++)
            {
                var dash = i is 8 or 13 or 18 or 23;
                if (dash != (t[i] == '-') || !dash && !IsHex(t[i])) return false;
            }
            return true;
        }
        if (t.Length != 32) return false;
        var letters = false;
        foreach (var c in t)
        {
            if (!IsHex(c)) return false;
            letters |= !IsDigit(c);
        }
        return letters;
    }

    private static bool IsPhone(ReadOnlySpan<byte> t)
    {
        if (t.Length is < 7 or > 24) return false;
        var digits = 0;
        var separators = 0;
        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            if (IsDigit(c)) digits++;
            else if (c == '+' && i == 0) separators++;
            else if (c is (byte)' ' or (byte)'-' or (byte)'.' or (byte)'(' or (byte)')') separators++;
            else return false;
        }
        return digits is >= 7 and <= 15 && separators > 0;
    }

    private static bool IsPostalCode(ReadOnlySpan<byte> t)
    {
        // US ZIP+4.
        if (t.Length == 10 && t[5] == '-' && AllDigits(t[..5]) && AllDigits(t[6..])) return true;
        // Canada: A1A 1A1.
        if (t.Length == 6 || t.Length == 7 && t[3] == ' ')
        {
            ReadOnlySpan<byte> c = t.Length == 7 ? [t[0], t[1], t[2], t[4], t[5], t[6]] : t;
            if (IsUpper(c[0]) && IsDigit(c[1]) && IsUpper(c[2]) && IsDigit(c[3]) && IsUpper(c[4]) && IsDigit(c[5])) return true;
        }
        // Netherlands: 1234 AB.
        if (t.Length is 6 or 7 && AllDigits(t[..4]) && IsUpper(t[^1]) && IsUpper(t[^2]) && (t.Length == 6 || t[4] == ' ')) return true;
        // United Kingdom: outward code (A9, A99, AA9, AA99, A9A, AA9A), optional space, inward code (9AA).
        if (t.Length is >= 5 and <= 8)
        {
            var inward = t[^3..];
            if (!IsDigit(inward[0]) || !IsUpper(inward[1]) || !IsUpper(inward[2])) return false;
            var outward = t[..^3].TrimEnd((byte)' ');
            if (outward.Length is < 2 or > 4 || !IsUpper(outward[0])) return false;
            var p = 1;
            if (IsUpper(outward[p])) p++;
            if (p >= outward.Length || !IsDigit(outward[p])) return false;
            p++;
            if (p < outward.Length && (IsDigit(outward[p]) || IsUpper(outward[p]))) p++;
            return p == outward.Length;
        }
        return false;
    }

    private static bool IsCardNumber(ReadOnlySpan<byte> t)
    {
        if (t.Length is < 13 or > 23 || !IsDigit(t[0]) || t[0] is (byte)'0' or (byte)'1' or (byte)'7' or (byte)'8' or (byte)'9') return false;
        Span<byte> digits = stackalloc byte[19];
        var n = 0;
        foreach (var c in t)
        {
            if (IsDigit(c))
            {
                if (n == 19) return false;
                digits[n++] = (byte)(c - '0');
            }
            else if (c is not ((byte)' ' or (byte)'-')) return false;
        }
        if (n < 13) return false;
        var sum = 0;
        for (var i = 0; i < n; i++)
        {
            var d = digits[n - 1 - i];
            if (i % 2 == 1) d = (byte)(d * 2 > 9 ? d * 2 - 9 : d * 2);
            sum += d;
        }
        return sum % 10 == 0;
    }

    private static bool IsIban(ReadOnlySpan<byte> t)
    {
        if (t.Length is < 15 or > 42 || !IsUpper(t[0]) || !IsUpper(t[1]) || !IsDigit(t[2]) || !IsDigit(t[3])) return false;
        Span<byte> compact = stackalloc byte[34];
        var n = 0;
        foreach (var c in t)
        {
            if (c == ' ') continue;
            if (!IsUpper(c) && !IsDigit(c) || n == 34) return false;
            compact[n++] = c;
        }
        if (n < 15) return false;
        // ISO 13616: move the first four characters to the end, letters as 10..35, the number mod 97 is 1.
        var remainder = 0;
        for (var i = 0; i < n; i++)
        {
            var c = compact[(i + 4) % n];
            if (IsDigit(c)) remainder = (remainder * 10 + (c - '0')) % 97;
            else remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
        }
        return remainder == 1;
    }

    private static bool IsSsn(ReadOnlySpan<byte> t) =>
        t.Length == 11 && t[3] == '-' && t[6] == '-' && AllDigits(t[..3]) && AllDigits(t[4..6]) && AllDigits(t[7..]);

    private static bool IsCodeLike(ReadOnlySpan<byte> t)
    {
        if (t.Length is < 4 or > 40 || !IsDigit(t[^1])) return false;
        var letters = 0;
        var digits = 0;
        foreach (var c in t)
        {
            if (IsDigit(c)) digits++;
            else if (IsLetter(c)) letters++;
            else if (c is not ((byte)'-' or (byte)'_' or (byte)'/' or (byte)'.' or (byte)'#')) return false;
        }
        return letters > 0 && digits >= 3;
    }

    /// <summary>One to four words, each a capital letter then lower-case letters (or any non-ASCII letters), apostrophes or hyphens.</summary>
    private static bool IsPersonName(ReadOnlySpan<byte> t)
    {
        if (t.Length is < 2 or > 60) return false;
        var words = 0;
        var atWordStart = true;
        var letters = 0;
        foreach (var c in t)
        {
            if (c == ' ')
            {
                if (atWordStart) return false;
                atWordStart = true;
                continue;
            }
            if (atWordStart)
            {
                if (!IsUpper(c) && c < 0x80) return false;
                words++;
                atWordStart = false;
                letters++;
                continue;
            }
            if (IsLower(c) || c >= 0x80 || c is (byte)'\'' or (byte)'-' || IsUpper(c) && letters > 0) letters++;
            else return false;
        }
        return words is >= 1 and <= 4 && letters >= 2 && !atWordStart;
    }

    private static bool AllDigits(ReadOnlySpan<byte> s) => s.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> s, ReadOnlySpan<byte> prefix) =>
        s.Length >= prefix.Length && EqualsIgnoreCase(s[..prefix.Length], prefix);

    private static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> lowerAscii)
    {
        for (var i = 0; i < a.Length; i++)
        {
            var c = a[i];
            if (IsUpper(c)) c |= 0x20;
            if (c != lowerAscii[i]) return false;
        }
        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
    private static bool IsUpper(byte b) => (uint)(b - 'A') <= 'Z' - 'A';
    private static bool IsLower(byte b) => (uint)(b - 'a') <= 'z' - 'a';
    private static bool IsLetter(byte b) => IsUpper(b) || IsLower(b);
    private static bool IsLetterOrDigit(byte b) => IsLetter(b) || IsDigit(b);
    private static bool IsHex(byte b) => IsDigit(b) || (uint)((b | 0x20) - 'a') <= 5;
}
