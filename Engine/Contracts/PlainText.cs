namespace RadMah.Engine.Contracts;

/// <summary>
/// Text a request carries that is stored, sealed and echoed back (descriptions, params): printable
/// text only. Control characters (NUL, ANSI escape sequences, …) and the bidirectional overrides
/// that reorder what a terminal shows are refused, so no description can drive a terminal or a log.
/// </summary>
public static class PlainText
{
    public static void Check(string? value, string field)
    {
        if (value is null) return;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
                throw new ContractException($"{field}: contains the control character U+{(int)c:X4} at position {i}; only printable text is accepted.", field);
        }
    }
}
