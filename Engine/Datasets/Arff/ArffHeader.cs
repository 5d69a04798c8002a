namespace RadMah.Engine.Datasets.Arff;

/// <summary>
/// The header of an ARFF file: <c>@relation</c>, then one <c>@attribute</c> per column, up to
/// <c>@data</c>. Keywords are case-insensitive; blank lines and % comments are skipped. Relational
/// attributes (Weka's multi-instance data) are refused, as are duplicate names and nominal
/// attributes without values.
/// </summary>
public sealed class ArffHeader
{
    private ArffHeader(string relation, IReadOnlyList<ArffAttribute> attributes) => (Relation, Attributes) = (relation, attributes);

    public string Relation { get; }
    public IReadOnlyList<ArffAttribute> Attributes { get; }

    /// <summary>Reads declarations from <paramref name="lines"/> up to and including <c>@data</c>, counting them in <paramref name="line"/>.</summary>
    public static async Task<ArffHeader> ReadAsync(TextReader lines, ArffLine line, CancellationToken cancellationToken)
    {
        string? relation = null;
        var attributes = new List<ArffAttribute>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
        {
            line.Next(text);
            if (line.AtEnd) continue;
            if (line.Peek() != '@') throw line.Error("expected @relation, @attribute or @data: an ARFF file declares its attributes before its data.");
            var keyword = line.Token(",{", stopAtSpace: true, out _).ToString().ToLowerInvariant();
            switch (keyword)
            {
                case "@relation":
                    if (relation is not null) throw line.Error("a second @relation.");
                    relation = line.Token("", stopAtSpace: true, out _).ToString();
                    if (relation.Length == 0) throw line.Error("@relation has no name.");
                    break;
                case "@attribute":
                    if (relation is null) throw line.Error("@attribute before @relation.");
                    var attribute = ReadAttribute(line);
                    if (!names.Add(attribute.Name)) throw line.Error($"the attribute \"{attribute.Name}\" is declared twice.");
                    attributes.Add(attribute);
                    break;
                case "@data":
                    if (relation is null) throw line.Error("@data before @relation.");
                    if (attributes.Count == 0) throw line.Error("the header declares no attribute.");
                    if (!line.AtEnd) throw line.Error("@data is followed by something on its line; the rows start on the next line.");
                    return new ArffHeader(relation, attributes);
                case "@end":
                    throw line.Error("@end closes a relational attribute (multi-instance data), which is not read here.");
                default:
                    throw line.Error($"unknown declaration \"{keyword}\"; an ARFF header has @relation, @attribute and @data.");
            }
        }
        throw new DatasetException(relation is null ? "the file has no @relation: not an ARFF file." : "the ARFF header never reaches @data: the file has no rows.");
    }

    private static ArffAttribute ReadAttribute(ArffLine line)
    {
        var name = line.Token("{", stopAtSpace: true, out var quoted).ToString();
        if (name.Length == 0 && !quoted) throw line.Error("@attribute has no name.");
        if (line.TryTake('{')) return new ArffAttribute(name, ArffType.Nominal, ReadNominalValues(line, name));
        var type = line.Token("", stopAtSpace: true, out _).ToString().ToLowerInvariant();
        switch (type)
        {
            case "numeric" or "real" or "integer":
                RequireEnd(line, name);
                return new ArffAttribute(name, ArffType.Numeric);
            case "string":
                RequireEnd(line, name);
                return new ArffAttribute(name, ArffType.String);
            case "date":
                var format = line.AtEnd ? null : line.Token("", stopAtSpace: false, out _).ToString();
                RequireEnd(line, name);
                return new ArffAttribute(name, ArffType.Date, dateFormat: string.IsNullOrEmpty(format) ? null : format);
            case "relational":
                throw line.Error($"the attribute \"{name}\" is relational (multi-instance data), which is not read here.");
            case "":
                throw line.Error($"the attribute \"{name}\" has no type.");
            default:
                throw line.Error($"the attribute \"{name}\" has the unknown type \"{type}\" (expected numeric, integer, real, string, date or {{values}}).");
        }
    }

    private static List<string> ReadNominalValues(ArffLine line, string name)
    {
        var values = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (line.TryTake('}')) throw line.Error($"the nominal attribute \"{name}\" declares no values.");
        while (true)
        {
            var value = line.Token(",}", stopAtSpace: false, out var quoted).ToString();
            if (value.Length == 0 && !quoted) throw line.Error($"the nominal attribute \"{name}\" has an empty value in its list.");
            if (!seen.Add(value)) throw line.Error($"the nominal attribute \"{name}\" lists \"{value}\" twice.");
            values.Add(value);
            if (line.TryTake('}')) break;
            line.Expect(',', $"',' or '}}' in the values of \"{name}\"");
        }
        RequireEnd(line, name);
        return values;
    }

    private static void RequireEnd(ArffLine line, string name)
    {
        if (!line.AtEnd) throw line.Error($"unexpected text after the declaration of \"{name}\": \"{line.Rest()}\".");
    }
}
