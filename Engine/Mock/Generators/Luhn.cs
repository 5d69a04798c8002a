namespace RadMah.Engine.Mock.Generators;

/// <summary>The Luhn (mod 10) checksum used by payment card numbers.</summary>
public static class Luhn
{
    /// <summary>The digit that, appended to <paramref name="payload"/> (ASCII digits), makes it Luhn-valid.</summary>
    public static int CheckDigit(ReadOnlySpan<byte> payload)
    {
        var sum = 0;
        var doubleIt = true;
        for (var i = payload.Length - 1; i >= 0; i--)
        {
            var d = payload[i] - '0';
            if (doubleIt) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (10 - sum % 10) % 10;
    }

    public static bool IsValid(string number)
    {
        if (number.Length < 2 || !number.All(char.IsAsciiDigit)) return false;
        var bytes = System.Text.Encoding.ASCII.GetBytes(number);
        return CheckDigit(bytes.AsSpan(0, bytes.Length - 1)) == bytes[^1] - '0';
    }
}
