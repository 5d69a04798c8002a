using System.Text;

namespace RadMah.Engine.Datasets.Arff;

/// <summary>
/// Reads the tokens of one ARFF line as Weka writes and reads them: a token is quoted with ' or "
/// (backslash escapes inside: \\ \' \" \n \r \t \%) or unquoted, ending at a separator; outside
/// quotes, % starts a comment that runs to the end of the line. An unquoted token is trimmed, and a
/// quoted one is kept exactly.
/// </summary>
public sealed class ArffLine
{
    private readonly StringBuilder _unescaped = new();
    private string _text = "";
    private int _at;

    /// <summary>The line's number in the file, from 1.</summary>
    public long Number { get; private set; }

    /// <summary>Moves on to the file's next line.</summary>
    public void Next(string text)
    {
        _text = text;
        _at = 0;
        Number++;
    }

    /// <summary>True when nothing but spaces or a comment is left.</summary>
    public bool AtEnd
    {
        get
        {
            SkipSpaces();
            return _at >= _text.Length || _text[_at] == '%';
        }
    }

    /// <summary>The next character after spaces ('\0' at the end or at a comment).</summary>
    public char Peek() => AtEnd ? '\0' : _text[_at];

    /// <summary>Takes <paramref name="expected"/> (after spaces) if it is next.</summary>
    public bool TryTake(char expected)
    {
        if (Peek() != expected) return false;
        _at++;
        return true;
    }

    public void Expect(char expected, string what)
    {
        if (!TryTake(expected)) throw Error($"expected {what}{Found()}.");
    }

    /// <summary>
    /// The next token: quoted (unescaped), or unquoted up to one of <paramref name="stops"/>, a
    /// comment or the end of the line (with <paramref name="stopAtSpace"/>, also up to a space).
    /// <paramref name="quoted"/> tells which, so that a quoted '?' is text and an unquoted one is missing.
    /// </summary>
    public ReadOnlySpan<char> Token(ReadOnlySpan<char> stops, bool stopAtSpace, out bool quoted)
    {
        SkipSpaces();
        if (_at < _text.Length && _text[_at] is '\'' or '"')
        {
            quoted = true;
            return Quoted(_text[_at]);
        }
        quoted = false;
        var start = _at;
        while (_at < _text.Length)
        {
            var c = _text[_at];
            if (c == '%' || stops.Contains(c) || (stopAtSpace && char.IsWhiteSpace(c))) break;
            _at++;
        }
        return _text.AsSpan(start, _at - start).TrimEnd();
    }

    /// <summary>The rest of the line (comment excluded), trimmed: what is left after a declaration's last token.</summary>
    public string Rest()
    {
        SkipSpaces();
        var comment = _text.IndexOf('%', _at);
        var rest = (comment < 0 ? _text[_at..] : _text[_at..comment]).Trim();
        _at = _text.Length;
        return rest;
    }

    public DatasetException Error(string problem) => DatasetException.AtLine(Number, problem);

    private string Found() => _at >= _text.Length || _text[_at] == '%' ? ", found the end of the line" : $", found '{_text[_at]}'";

    private ReadOnlySpan<char> Quoted(char quote)
    {
        var opened = _at++;
        _unescaped.Clear();
        while (_at < _text.Length)
        {
            var c = _text[_at++];
            if (c == quote) return _unescaped.ToString();
            if (c != '\\' || _at >= _text.Length)
            {
                _unescaped.Append(c);
                continue;
            }
            var escaped = _text[_at++];
            switch (escaped)
            {
                case 'n': _unescaped.Append('\n'); break;
                case 'r': _unescaped.Append('\r'); break;
                case 't': _unescaped.Append('\t'); break;
                case '\\' or '\'' or '"' or '%': _unescaped.Append(escaped); break;
                // Not an escape Weka writes: kept as it is.
                default: _unescaped.Append('\\').Append(escaped); break;
            }
        }
        throw Error($"a value quoted with {quote} at character {opened + 1} is not closed on its line.");
    }

    private void SkipSpaces()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at])) _at++;
    }
}
