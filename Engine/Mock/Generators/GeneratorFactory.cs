using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;

namespace RadMah.Engine.Mock.Generators;

/// <summary>Turns each column of a contract into its generator, checking parameters and that derived columns only read earlier ones.</summary>
public static class GeneratorFactory
{
    /// <summary>Generator name → the column type it produces (null: the contract's type decides, e.g. decimal for lognormal).</summary>
    private static readonly Dictionary<string, ColumnType> OutputType = new()
    {
        ["sequence"] = ColumnType.String, ["foreign_key"] = ColumnType.String, ["categorical"] = ColumnType.String,
        ["lookup"] = ColumnType.String, ["person_name"] = ColumnType.String, ["email"] = ColumnType.String,
        ["username"] = ColumnType.String, ["phone"] = ColumnType.String, ["card_number"] = ColumnType.String,
        ["ip_address"] = ColumnType.String, ["template"] = ColumnType.String, ["flight_number"] = ColumnType.String,
        ["lognormal"] = ColumnType.Decimal, ["normal"] = ColumnType.Decimal, ["integer"] = ColumnType.Int64,
        ["boolean"] = ColumnType.Boolean, ["timestamp"] = ColumnType.Timestamp, ["timestamp_offset"] = ColumnType.Timestamp,
        ["date"] = ColumnType.Date, ["date_offset"] = ColumnType.Date,
        ["quantile_integer"] = ColumnType.Int64, ["quantile_decimal"] = ColumnType.Decimal,
        ["quantile_timestamp"] = ColumnType.Timestamp, ["quantile_date"] = ColumnType.Date,
        ["uuid"] = ColumnType.String, ["pattern"] = ColumnType.String, ["text"] = ColumnType.String,
        ["unique_integer"] = ColumnType.Int64, [RelatedTable.ParentKeyGenerator] = ColumnType.String,
    };

    public static IReadOnlyCollection<string> KnownGenerators => [.. OutputType.Keys, "arithmetic", MockContract.CopulaGenerator];

    public static IColumnGenerator[] CreateAll(IReadOnlyList<ColumnSpec> columns)
    {
        var generators = new IColumnGenerator[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var spec = columns[i];
            var earlier = columns.Take(i).ToArray();
            if (spec.Generator == MockContract.CopulaGenerator)
            {
                // Filled with the other copula columns by the contract's copula (CopulaBlock), before the generators run.
                generators[i] = DrawnByCopula.Instance;
                continue;
            }
            if (spec.Generator == "arithmetic")
            {
                generators[i] = new ArithmeticGenerator(spec);
                continue;
            }
            if (!OutputType.TryGetValue(spec.Generator, out var type))
                throw new ContractException($"Column '{spec.Name}': unknown generator '{spec.Generator}'. Known: {string.Join(", ", OutputType.Keys.Order())}.");
            if (type != spec.Type)
                throw new ContractException($"Column '{spec.Name}': generator '{spec.Generator}' produces {type.ToWire()}, not {spec.Type.ToWire()}.");
            generators[i] = spec.Generator switch
            {
                "sequence" => new SequenceGenerator(spec),
                "foreign_key" => new ForeignKeyGenerator(spec),
                "categorical" => new CategoricalGenerator(spec, earlier),
                "lookup" => new LookupGenerator(spec, earlier),
                "person_name" => new PersonNameGenerator(spec),
                "email" => new EmailGenerator(spec, earlier),
                "username" => new UsernameGenerator(spec, earlier),
                "phone" => new PhoneGenerator(spec, earlier),
                "card_number" => new CardNumberGenerator(spec),
                "ip_address" => new IpAddressGenerator(),
                "template" => new TemplateGenerator(spec),
                "flight_number" => new FlightNumberGenerator(spec),
                "lognormal" => new LogNormalGenerator(spec),
                "normal" => new NormalGenerator(spec),
                "integer" => new IntegerGenerator(spec),
                "boolean" => new BooleanGenerator(spec),
                "timestamp" => new TimestampGenerator(spec),
                "timestamp_offset" => new TimestampOffsetGenerator(spec, earlier),
                "date" => new DateGenerator(spec),
                "date_offset" => new DateOffsetGenerator(spec, earlier),
                "quantile_integer" or "quantile_decimal" or "quantile_timestamp" or "quantile_date" => new QuantileGenerator(spec),
                "uuid" => new UuidGenerator(),
                "pattern" => new PatternGenerator(spec),
                "text" => new TextGenerator(spec),
                "unique_integer" => new UniqueIntegerGenerator(spec),
                RelatedTable.ParentKeyGenerator => new ParentKeyGenerator(spec),
                _ => throw new ContractException($"Column '{spec.Name}': unknown generator '{spec.Generator}'."),
            };
        }
        return generators;
    }

    private sealed class DrawnByCopula : IColumnGenerator
    {
        public static readonly DrawnByCopula Instance = new();

        public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
        {
        }
    }

    /// <summary>Index of an earlier column a derived column reads; derived columns may only read columns before them.</summary>
    public static int IndexOf(IReadOnlyList<ColumnSpec> earlier, string name, string reader)
    {
        for (var i = 0; i < earlier.Count; i++)
            if (earlier[i].Name == name) return i;
        throw new ContractException($"Column '{reader}' reads column '{name}', which must come before it.");
    }
}
