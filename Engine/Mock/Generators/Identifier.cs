namespace RadMah.Engine.Mock.Generators;

/// <summary>Turns names into the lower-case ASCII that emails and usernames are made of.</summary>
public static class Identifier
{
    public static int WriteLowerLetters(Span<byte> destination, ReadOnlySpan<byte> source)
    {
        var n = 0;
        foreach (var b in source)
        {
            if (b is >= (byte)'a' and <= (byte)'z') destination[n++] = b;
            else if (b is >= (byte)'A' and <= (byte)'Z') destination[n++] = (byte)(b + 32);
        }
        return n;
    }
}
