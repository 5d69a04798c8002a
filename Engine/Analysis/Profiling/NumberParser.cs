using System.Globalization;

namespace RadMah.Engine.Analysis.Profiling;

/// <summary>A number read from text, with how it was written.</summary>
public struct ParsedNumber
{
    public double Value;
    public bool IsInteger;
    /// <summary>Digits written after the decimal separator.</summary>
    public int Scale;
    /// <summary>The power of ten written after an exponent mark (1.26e-24: −24); 0 without one.</summary>
    public int Exponent;
    public bool Thousands;
    public bool DecimalComma;
    public bool Currency;
    public bool Percent;
    /// <summary>Digits only and a leading zero ("007"): more likely a code.</summary>
    public bool LeadingZero;
}

/// <summary>
/// Reads numbers as people and spreadsheets write them: signs, thousands separators (1,234,567 or
/// 1.234.567 or 1 234 567 or 1'234'567), decimal points or commas (the separator written last is
/// the decimal one; a single comma followed by three digits is read as thousands), exponents,
/// currency symbols or codes before or after ($1,234.50, 12,50 €, USD 40), percent signs, and
/// accounting negatives in parentheses.
/// </summary>
public static class NumberParser
{
    public static bool TryParse(ReadOnlySpan<byte> s, out ParsedNumber number)
    {
        number = default;
        if (s.IsEmpty || s.Length > 64) return false;
        var negative = false;
        if (s[0] == '(' && s[^1] == ')')
        {
            negative = true;
            s = s[1..^1].Trim(" "u8);
        }
        if (s.Length > 0 && s[0] is (byte)'-' or (byte)'+')
        {
            negative ^= s[0] == '-';
            s = s[1..].TrimStart(" "u8);
        }
        var currency = StripCurrency(ref s);
        if (s.Length > 0 && s[0] is (byte)'-' or (byte)'+' && currency)
        {
            negative ^= s[0] == '-';
            s = s[1..];
        }
        var percent = false;
        if (s.Length > 0 && s[^1] == '%')
        {
            percent = true;
            s = s[..^1].TrimEnd(" "u8);
        }
        if (!currency) currency = StripCurrency(ref s);
        if (s.IsEmpty || !IsDigit(s[0]) && s[0] != '.') return false;

        // Find the decimal separator: the last '.' or ',' unless it is a thousands separator.
        int lastDot = s.LastIndexOf((byte)'.'), lastComma = s.LastIndexOf((byte)','), exponent = s.IndexOfAny((byte)'e', (byte)'E');
        var mantissa = exponent >= 0 ? s[..exponent] : s;
        if (exponent >= 0 && (lastDot > exponent || lastComma > exponent)) return false;
        var decimalAt = -1;
        var decimalComma = false;
        var thousands = false;
        if (lastDot >= 0 && lastComma >= 0)
        {
            decimalAt = Math.Max(lastDot, lastComma);
            decimalComma = lastComma > lastDot;
            thousands = true;
        }
        else if (lastComma >= 0)
        {
            var commas = mantissa.Count((byte)',');
            var afterLast = mantissa.Length - lastComma - 1;
            if (commas == 1 && afterLast != 3) { decimalAt = lastComma; decimalComma = true; }
            else thousands = true;
        }
        else if (lastDot >= 0)
        {
            var dots = mantissa.Count((byte)'.');
            if (dots == 1) decimalAt = lastDot;
            else thousands = true;
        }

        Span<byte> clean = stackalloc byte[s.Length + 2];
        var n = 0;
        if (negative) clean[n++] = (byte)'-';
        var digits = 0;
        var scale = 0;
        var groupLength = 0;
        var firstGroup = true;
        var grouped = false;
        for (var i = 0; i < mantissa.Length; i++)
        {
            var c = mantissa[i];
            if (IsDigit(c))
            {
                clean[n++] = c;
                digits++;
                groupLength++;
                if (decimalAt >= 0 && i > decimalAt) scale++;
                continue;
            }
            if (i == decimalAt)
            {
                if (grouped && groupLength != 3) return false;
                clean[n++] = (byte)'.';
                groupLength = 0;
                continue;
            }
            if (decimalAt >= 0 && i > decimalAt) return false;
            // A thousands separator: groups of three after the first group of one to three digits.
            if (c is not ((byte)',' or (byte)'.' or (byte)' ' or (byte)'\'' or (byte)'_')) return false;
            if ((firstGroup ? groupLength is < 1 or > 3 : groupLength != 3)) return false;
            firstGroup = false;
            grouped = true;
            thousands = true;
            groupLength = 0;
        }
        if (digits == 0) return false;
        if (grouped && decimalAt < 0 && groupLength != 3) return false;
        var power = 0;
        if (exponent >= 0)
        {
            var e = s[exponent..];
            if (e.Length < 2) return false;
            foreach (var c in e) clean[n++] = c;
            // An exponent no int holds leaves the value infinite or zero: refused below, or written as 0.
            if (!int.TryParse(e[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out power)) power = 0;
        }
        if (!double.TryParse(clean[..n], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value)) return false;
        number = new ParsedNumber
        {
            Value = value,
            IsInteger = decimalAt < 0 && exponent < 0,
            Scale = scale,
            Exponent = power,
            Thousands = thousands && grouped,
            DecimalComma = decimalComma,
            Currency = currency,
            Percent = percent,
            LeadingZero = !negative && !currency && !percent && !grouped && decimalAt < 0 && exponent < 0 && s.Length > 1 && s[0] == '0',
        };
        return true;
    }

    /// <summary>Removes a currency symbol or a three-letter code (with an optional space) at either end.</summary>
    private static bool StripCurrency(ref ReadOnlySpan<byte> s)
    {
        if (s.Length < 2) return false;
        // Most values start and end with a digit: no symbol or code to strip.
        if (IsDigit(s[0]) && IsDigit(s[^1])) return false;
        foreach (var symbol in Symbols)
        {
            if (s.StartsWith(symbol)) { s = s[symbol.Length..].TrimStart(" "u8); return true; }
            if (s.EndsWith(symbol)) { s = s[..^symbol.Length].TrimEnd(" "u8); return true; }
        }
        // ISO 4217 codes of the currencies most data is in; only known codes, so "ABC123" stays an identifier.
        if (s.Length > 4 && (s[3] == ' ' || IsDigit(s[3])) && IsCurrencyCode(s[..3]))
        {
            s = s[3..].TrimStart(" "u8);
            return true;
        }
        if (s.Length > 4 && (s[^4] == ' ' || IsDigit(s[^4])) && IsCurrencyCode(s[^3..]))
        {
            s = s[..^3].TrimEnd(" "u8);
            return true;
        }
        return false;
    }

    private static readonly byte[][] Symbols = ["US$"u8.ToArray(), "$"u8.ToArray(), "€"u8.ToArray(), "£"u8.ToArray(), "¥"u8.ToArray(), "₹"u8.ToArray()];

    private static readonly HashSet<string> CurrencyCodes =
    [
        "USD", "EUR", "GBP", "JPY", "CNY", "INR", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN",
        "RUB", "UAH", "BRL", "MXN", "ARS", "CLP", "COP", "PEN", "ZAR", "EGP", "NGN", "KES", "MAD", "SGD", "HKD", "KRW", "TWD", "THB",
        "IDR", "MYR", "PHP", "VND", "TRY", "AED", "SAR", "QAR", "ILS", "PKR", "BDT",
    ];

    private static bool IsCurrencyCode(ReadOnlySpan<byte> code)
    {
        if (!IsUpper(code[0]) || !IsUpper(code[1]) || !IsUpper(code[2])) return false;
        Span<char> text = [(char)code[0], (char)code[1], (char)code[2]];
        return CurrencyCodes.GetAlternateLookup<ReadOnlySpan<char>>().Contains(text);
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
    private static bool IsUpper(byte b) => (uint)(b - 'A') <= 'Z' - 'A';
}
