using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RadMah.Engine.Contracts;

/// <summary>
/// Canonical JSON in the style of RFC 8785 (JCS): object members sorted by their UTF-16 code units,
/// no insignificant white space, minimal string escaping, and numbers written the way ECMAScript's
/// Number.prototype.toString writes an IEEE-754 double. Equal documents give equal bytes, so their
/// SHA-256 digests can seal them.
/// </summary>
public static class CanonicalJson
{
    public static byte[] Serialize(JsonNode node) => Encoding.UTF8.GetBytes(SerializeToString(node));

    public static string SerializeToString(JsonNode node)
    {
        var builder = new StringBuilder(4096);
        Write(builder, node);
        return builder.ToString();
    }

    /// <summary>Orders an object's members for writing; the array is rented, so sorting allocates nothing per object.</summary>
    private static readonly Comparison<KeyValuePair<string, JsonNode?>> ByKey = static (a, b) => string.CompareOrdinal(a.Key, b.Key);

    /// <summary>Appends the canonical form of <paramref name="node"/>.</summary>
    internal static void Write(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                sb.Append('{');
                var members = System.Buffers.ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Rent(obj.Count);
                try
                {
                    // By index: enumerating a JsonObject boxes an enumerator per object.
                    var count = obj.Count;
                    for (var i = 0; i < count; i++) members[i] = obj.GetAt(i);
                    var sorted = members.AsSpan(0, count);
                    sorted.Sort(ByKey);
                    for (var i = 0; i < sorted.Length; i++)
                    {
                        if (i > 0) sb.Append(',');
                        WriteString(sb, sorted[i].Key);
                        sb.Append(':');
                        Write(sb, sorted[i].Value);
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Return(members, clearArray: true);
                }
                sb.Append('}');
                break;
            case JsonArray array:
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Write(sb, array[i]);
                }
                sb.Append(']');
                break;
            case JsonValue value:
                WriteValue(sb, value);
                break;
        }
    }

    private static void WriteValue(StringBuilder sb, JsonValue value)
    {
        var element = value.GetValueKind();
        switch (element)
        {
            case JsonValueKind.String:
                WriteString(sb, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Number:
                sb.Append(FormatNumber(ToDouble(value)));
                break;
            case JsonValueKind.Null:
                sb.Append("null");
                break;
            default:
                throw new ContractException($"Cannot canonicalize JSON value of kind {element}.");
        }
    }

    private static double ToDouble(JsonValue value)
    {
        if (value.TryGetValue<double>(out var d)) return d;
        if (value.TryGetValue<long>(out var l)) return l;
        if (value.TryGetValue<int>(out var i)) return i;
        if (value.TryGetValue<ulong>(out var u)) return u;
        if (value.TryGetValue<decimal>(out var m)) return (double)m;
        if (value.TryGetValue<JsonElement>(out var e)) return e.GetDouble();
        throw new ContractException("Unsupported JSON number representation.");
    }

    /// <summary>Appends <paramref name="s"/> as a canonical JSON string.</summary>
    internal static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    /// <summary>ECMAScript Number::toString for finite doubles (ECMA-262, 6.1.6.1.20).</summary>
    public static string FormatNumber(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            throw new ContractException("NaN and infinities have no canonical JSON form.");
        if (value == 0) return "0";
        // Integers up to 2^53 are exact doubles, and ECMAScript writes them as plain digits.
        if (Math.Abs(value) < 9_007_199_254_740_992d && value == Math.Floor(value)) return ((long)value).ToString(CultureInfo.InvariantCulture);
        var negative = value < 0;
        // "R" gives the shortest digits that round-trip; re-shape them into ECMAScript's layout.
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var (digits, pointPosition) = Decompose(shortest);
        var k = digits.Length;
        var n = pointPosition;
        var sb = new StringBuilder();
        if (negative) sb.Append('-');
        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            var exponent = n - 1;
            sb.Append(digits[0]);
            if (k > 1) sb.Append('.').Append(digits, 1, k - 1);
            sb.Append('e').Append(exponent >= 0 ? "+" : "-").Append(Math.Abs(exponent).ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Splits a .NET round-trip string into significant digits and the decimal point's position n (value = 0.d1d2… × 10^n).</summary>
    private static (string Digits, int PointPosition) Decompose(string roundTrip)
    {
        var exponent = 0;
        var mantissa = roundTrip;
        var e = roundTrip.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(roundTrip.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = roundTrip[..e];
        }
        var dot = mantissa.IndexOf('.');
        var intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fracPart = dot >= 0 ? mantissa[(dot + 1)..] : "";
        var all = intPart + fracPart;
        var point = intPart.Length + exponent;
        var leading = 0;
        while (leading < all.Length - 1 && all[leading] == '0') leading++;
        all = all[leading..];
        point -= leading;
        all = all.TrimEnd('0');
        if (all.Length == 0) all = "0";
        return (all, point);
    }
}
