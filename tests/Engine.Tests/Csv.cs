using System.Text;

namespace RadMah.Engine.Tests;

/// <summary>An independent RFC 4180 reader for checking what the engine writes.</summary>
public static class Csv
{
    public static List<string[]> Parse(byte[] bytes)
    {
        Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "CSV must not start with a byte-order mark");
        var text = new UTF8Encoding(false, true).GetString(bytes);
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        var quoted = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                if (c == '"') { quoted = false; i++; continue; }
                field.Append(c);
                i++;
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    i++;
                    break;
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    i++;
                    break;
                case '\r':
                    Assert.True(i + 1 < text.Length && text[i + 1] == '\n', "lines must end with CRLF");
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add(row.ToArray());
                    row.Clear();
                    i += 2;
                    break;
                case '\n':
                    Assert.Fail("bare LF line ending");
                    break;
                default:
                    field.Append(c);
                    i++;
                    break;
            }
        }
        Assert.True(row.Count == 0 && field.Length == 0, "the last line must end with CRLF");
        return rows;
    }
}
