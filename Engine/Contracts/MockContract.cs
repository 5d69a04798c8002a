using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RadMah.Engine.Jobs;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Contracts;

/// <summary>
/// What a mock job generates: ordered typed columns with their generators, the row count and the
/// seed. Sealing it (<see cref="Seal"/>) gives canonical JSON and its SHA-256 digest; the same
/// contract always generates byte-identical output.
/// </summary>
public sealed record MockContract(
    string Description,
    string Domain,
    long Rows,
    long Seed,
    IReadOnlyList<ColumnSpec> Columns) : IJobContract<MockContract>
{
    public const string Version = "radmah.mock/1";

    /// <summary>Rows per chunk. Part of the output's meaning: Arrow record batches follow it.</summary>
    public const int ChunkRows = 65_536;

    public const long MaxRows = 1_000_000_000;
    public const int MaxDescriptionLength = 2_000;

    /// <summary>Seeds are JSON numbers in the contract, so they stay within IEEE-754's exact integers.</summary>
    public const long MaxSeed = 9_007_199_254_740_991;

    /// <summary>
    /// A Gaussian copula (<see cref="Synthesis.Copula.GaussianCopula.ToJson"/>, or one per group:
    /// <see cref="Synthesis.Copula.GroupedCopula.ToJson"/>) that draws the columns whose generator is
    /// <c>copula</c>, jointly, in its column order: a look-alike contract's or a trained model's
    /// dependence between columns. Null when every column is drawn on its own.
    /// </summary>
    public JsonObject? Copula { get; init; }

    /// <summary>
    /// A fitted model that draws the columns whose generator is <c>copula</c> when it is not a copula the
    /// contract can carry (a trained neural model, sampled by a synthesize job from its sealed model
    /// file). Never written into the contract's JSON; a contract read back has none.
    /// </summary>
    public Synthesis.Constraints.ConstrainedModel? Model { get; init; }

    /// <summary>The generator of the columns <see cref="Copula"/> (or <see cref="Model"/>) draws.</summary>
    public const string CopulaGenerator = "copula";

    /// <summary>
    /// Child tables: each row of this contract's table has a number of rows in each, keyed to it
    /// (<see cref="RelatedTable"/>). Mock writes this table as dataset.csv and each child as NAME.csv.
    /// </summary>
    public IReadOnlyList<RelatedTable> Tables { get; init; } = [];

    /// <summary>Child table <paramref name="index"/> as a contract of its own: its rows follow from this table's rows and the seed.</summary>
    public MockContract ChildContract(int index)
    {
        var table = Tables[index];
        var columns = table.Columns.Select(c =>
        {
            if (c.Generator != RelatedTable.ParentKeyGenerator) return c;
            var parameters = (JsonObject)c.Parameters.DeepClone();
            parameters["parent_rows"] = Rows;
            parameters["min_per_parent"] = table.MinPerParent;
            parameters["max_per_parent"] = table.MaxPerParent;
            parameters["table"] = index;
            return c with { Parameters = parameters };
        }).ToList();
        return new MockContract($"{Description} ({table.Name})", Domain, ChildRows(index), Seed, columns);
    }

    /// <summary>Rows of child table <paramref name="index"/>: they follow from this table's rows and the seed.</summary>
    public long ChildRows(int index) =>
        Mock.Generators.ParentKeyGenerator.Rows(SplitMix64.SeedKey((ulong)Seed), Rows, Tables[index].MinPerParent, Tables[index].MaxPerParent, index);

    /// <summary>Rows of this table and of every child table: what the contract costs.</summary>
    public long TotalRows => Rows + Enumerable.Range(0, Tables.Count).Sum(ChildRows);

    public JsonObject ToJson()
    {
        var columns = new JsonArray();
        foreach (var c in Columns)
        {
            columns.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type.ToWire(),
                ["generator"] = c.Generator,
                ["params"] = c.Parameters.DeepClone(),
            });
        }
        var json = new JsonObject
        {
            ["contract_version"] = Version,
            ["kind"] = "mock",
            ["description"] = Description,
            ["domain"] = Domain,
            ["rows"] = Rows,
            ["seed"] = Seed,
            ["prng"] = SplitMix64.AlgorithmId,
            ["chunk_rows"] = ChunkRows,
            ["columns"] = columns,
        };
        if (Copula is not null) json["copula"] = Copula.DeepClone();
        if (Tables.Count > 0) json["tables"] = TablesJson();
        return json;
    }

    private JsonArray TablesJson() => new([.. Tables.Select(t => (JsonNode?)new JsonObject
    {
        ["name"] = t.Name,
        ["per_parent"] = new JsonArray(t.MinPerParent, t.MaxPerParent),
        ["columns"] = new JsonArray([.. t.Columns.Select(c => (JsonNode?)new JsonObject
        {
            ["name"] = c.Name,
            ["type"] = c.Type.ToWire(),
            ["generator"] = c.Generator,
            ["params"] = c.Parameters.DeepClone(),
        })]),
    })]);

    public SealedContract Seal()
    {
        Validate();
        var json = ToCanonicalJson();
        return new SealedContract(json, SealedContract.DigestOf(json));
    }

    /// <summary>
    /// The canonical form of <see cref="ToJson"/>, written straight from the contract: sealing is on
    /// every submission's path, and building the document first (cloning each column's params into
    /// it) allocated 41 KB per seal of a ten-column contract against 15 KB this way, in the same
    /// time (~75 µs, most of it validation and hashing). Members appear in code-unit order, as
    /// <see cref="CanonicalJson"/> sorts them; a test holds the two forms equal.
    /// </summary>
    private string ToCanonicalJson()
    {
        var sb = new StringBuilder(512 + 160 * Columns.Count);
        sb.Append("{\"chunk_rows\":").Append(CanonicalJson.FormatNumber(ChunkRows)).Append(",\"columns\":[");
        for (var i = 0; i < Columns.Count; i++)
        {
            var column = Columns[i];
            if (i > 0) sb.Append(',');
            sb.Append("{\"generator\":");
            CanonicalJson.WriteString(sb, column.Generator);
            sb.Append(",\"name\":");
            CanonicalJson.WriteString(sb, column.Name);
            sb.Append(",\"params\":");
            CanonicalJson.Write(sb, column.Parameters);
            sb.Append(",\"type\":");
            CanonicalJson.WriteString(sb, column.Type.ToWire());
            sb.Append('}');
        }
        sb.Append("],\"contract_version\":");
        CanonicalJson.WriteString(sb, Version);
        if (Copula is not null)
        {
            sb.Append(",\"copula\":");
            CanonicalJson.Write(sb, Copula);
        }
        sb.Append(",\"description\":");
        CanonicalJson.WriteString(sb, Description);
        sb.Append(",\"domain\":");
        CanonicalJson.WriteString(sb, Domain);
        sb.Append(",\"kind\":\"mock\",\"prng\":");
        CanonicalJson.WriteString(sb, SplitMix64.AlgorithmId);
        sb.Append(",\"rows\":").Append(CanonicalJson.FormatNumber(Rows));
        sb.Append(",\"seed\":").Append(CanonicalJson.FormatNumber(Seed));
        if (Tables.Count > 0)
        {
            sb.Append(",\"tables\":");
            CanonicalJson.Write(sb, TablesJson());
        }
        sb.Append('}');
        return sb.ToString();
    }

    /// <summary>The same contract with another row count and seed (for reruns and look-alike jobs).</summary>
    public MockContract With(long rows, long seed) => this with { Rows = rows, Seed = seed };

    public void Validate()
    {
        ValidateRows(Rows);
        ValidateSeed(Seed);
        if (Columns.Count == 0) throw new ContractException("A contract needs at least one column.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in Columns)
        {
            if (string.IsNullOrWhiteSpace(c.Name)) throw new ContractException("Column names must not be empty.");
            if (!names.Add(c.Name)) throw new ContractException($"Column '{c.Name}' appears twice.");
            c.ValidateCommon();
        }
        ValidateCopula();
        ValidateTables();
    }

    private void ValidateTables()
    {
        if (Tables.Count == 0) return;
        if (Copula is not null || Model is not null) throw new ContractException("A contract with child tables draws no copula.");
        if (Rows > RelatedTable.MaxParentRows) throw new ContractException($"A table with child tables has at most {RelatedTable.MaxParentRows:N0} rows; got {Rows:N0}.");
        var names = new HashSet<string>(StringComparer.Ordinal) { "dataset", "contract", "evidence", "preview" };
        foreach (var t in Tables)
        {
            if (t.Name.Length is 0 or > 63 || !t.Name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') || !char.IsAsciiLetterLower(t.Name[0]))
                throw new ContractException($"Table name '{t.Name}' must be lower_snake_case, 1 to 63 characters.");
            if (!names.Add(t.Name)) throw new ContractException($"Table name '{t.Name}' is taken.");
            if (t.MinPerParent < 0 || t.MaxPerParent < t.MinPerParent || t.MaxPerParent > RelatedTable.MaxPerParentLimit)
                throw new ContractException($"Table '{t.Name}': rows per parent must be from 0 to {RelatedTable.MaxPerParentLimit}, the least first.");
            if (t.Columns.Count(c => c.Generator == RelatedTable.ParentKeyGenerator) != 1)
                throw new ContractException($"Table '{t.Name}' needs exactly one column with generator {RelatedTable.ParentKeyGenerator} (the key of its parent row).");
            if (t.Columns.Any(c => c.Generator == CopulaGenerator)) throw new ContractException($"Table '{t.Name}': child tables draw no copula.");
            var child = new MockContract(Description, Domain, 1, Seed, t.Columns);
            child.Validate();
        }
        if (Columns.Any(c => c.Generator == RelatedTable.ParentKeyGenerator)) throw new ContractException($"Generator {RelatedTable.ParentKeyGenerator} belongs in a child table.");
        var total = Rows;
        for (var i = 0; i < Tables.Count; i++)
        {
            var rows = ChildRows(i);
            if (rows == 0) throw new ContractException($"Table '{Tables[i].Name}' gets no rows ({Tables[i].MinPerParent}-{Tables[i].MaxPerParent} per parent row); raise its least or the parent's rows.");
            total += rows;
        }
        if (total > MaxRows) throw new ContractException($"The tables hold {total:N0} rows together; at most {MaxRows:N0}.");
    }

    /// <summary>The copula, when there is one, reads and draws exactly the copula columns, in order, each as its type.</summary>
    private void ValidateCopula()
    {
        var drawn = Columns.Where(c => c.Generator == CopulaGenerator).ToArray();
        if (Copula is null && Model is null)
        {
            if (drawn.Length > 0) throw new ContractException($"Column '{drawn[0].Name}': generator 'copula' needs the contract's copula.");
            return;
        }
        IReadOnlyList<Synthesis.Models.SampledColumn> modelled;
        try
        {
            modelled = DrawingModel().Sampler.Columns;
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or NullReferenceException or ArgumentException or KeyNotFoundException)
        {
            throw new ContractException($"The contract's copula is not one: {ex.Message}");
        }
        if (!drawn.Select(c => c.Name).SequenceEqual(modelled.Select(c => c.Name)))
            throw new ContractException($"The copula draws {string.Join(", ", modelled.Select(c => c.Name))}; the columns with generator 'copula' are {string.Join(", ", drawn.Select(c => c.Name))}.");
        for (var i = 0; i < drawn.Length; i++)
        {
            var categorical = modelled[i].IsCategorical;
            if (categorical != drawn[i].Type is ColumnType.String or ColumnType.Boolean)
                throw new ContractException($"Column '{drawn[i].Name}': the copula draws {(categorical ? "categories" : "numbers")}, which a {drawn[i].Type.ToWire()} column cannot hold.");
        }
    }

    /// <summary>The model that draws the <c>copula</c> columns: <see cref="Model"/>, or the contract's copula read.</summary>
    public Synthesis.Constraints.ConstrainedModel DrawingModel() =>
        Model ?? Synthesis.Constraints.ConstrainedModel.FromCopulaJson(Copula ?? throw new InvalidOperationException("the contract has no copula."));

    public static void ValidateRows(long rows)
    {
        if (rows < 1 || rows > MaxRows)
            throw new ContractException($"rows must be between 1 and {MaxRows:N0}; got {rows}.");
    }

    public static void ValidateSeed(long seed)
    {
        if (seed < 0 || seed > MaxSeed)
            throw new ContractException($"seed must be between 0 and {MaxSeed}; got {seed}.");
    }

    public static void ValidateDescription(string? description)
    {
        if (string.IsNullOrWhiteSpace(description))
            throw new ContractException("description must not be empty.");
        if (description.Length > MaxDescriptionLength)
            throw new ContractException($"description must be at most {MaxDescriptionLength} characters; got {description.Length}.");
    }

    /// <summary>Reads a contract back from its JSON (for example a stored contract.json) and checks it.</summary>
    public static MockContract Parse(string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new ContractException("A contract must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new ContractException($"Contract is not valid JSON: {ex.Message}");
        }
        string Text(string name) => root[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s
            : throw new ContractException($"Contract field '{name}' is missing or not text.");
        long Whole(string name) => root[name] is JsonValue v && v.TryGetValue<double>(out var d) && d == Math.Floor(d) ? (long)d
            : throw new ContractException($"Contract field '{name}' is missing or not a whole number.");

        if (Text("contract_version") != Version) throw new ContractException($"Unsupported contract_version '{Text("contract_version")}'; expected '{Version}'.");
        if (Text("prng") != SplitMix64.AlgorithmId) throw new ContractException($"Unsupported prng '{Text("prng")}'.");
        if (Whole("chunk_rows") != ChunkRows) throw new ContractException($"Unsupported chunk_rows {Whole("chunk_rows")}.");
        if (root["columns"] is not JsonArray columnArray) throw new ContractException("Contract field 'columns' must be a list.");
        var columns = ColumnsOf(columnArray);
        var tables = new List<RelatedTable>();
        if (root["tables"] is JsonArray tableArray)
        {
            foreach (var node in tableArray)
            {
                if (node is not JsonObject t || t["columns"] is not JsonArray tc || t["per_parent"] is not JsonArray range || range.Count != 2)
                    throw new ContractException("Each table must be an object with name, per_parent [min, max] and columns.");
                tables.Add(new RelatedTable(t["name"]?.GetValue<string>() ?? throw new ContractException("A table has no name."),
                    range[0]!.GetValue<int>(), range[1]!.GetValue<int>(), ColumnsOf(tc)));
            }
        }
        else if (root["tables"] is not null) throw new ContractException("Contract field 'tables' must be a list.");
        var contract = new MockContract(Text("description"), Text("domain"), Whole("rows"), Whole("seed"), columns)
        {
            Copula = root["copula"] switch
            {
                null => null,
                JsonObject copula => copula,
                _ => throw new ContractException("Contract field 'copula' must be an object."),
            },
            Tables = tables,
        };
        contract.Validate();
        return contract;
    }

    private static List<ColumnSpec> ColumnsOf(JsonArray columnArray)
    {
        var columns = new List<ColumnSpec>();
        foreach (var node in columnArray)
        {
            if (node is not JsonObject c) throw new ContractException("Each column must be an object.");
            string CText(string name) => c[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s
                : throw new ContractException($"Column field '{name}' is missing or not text.");
            var parameters = c["params"] as JsonObject ?? throw new ContractException($"Column '{CText("name")}' has no params object.");
            var spec = new ColumnSpec(CText("name"), ColumnTypeNames.Parse(CText("type")), CText("generator"), parameters);
            // Taken out of the parsed document rather than cloned: nothing else holds that document.
            c.Remove("params");
            columns.Add(spec);
        }
        return columns;
    }
}
