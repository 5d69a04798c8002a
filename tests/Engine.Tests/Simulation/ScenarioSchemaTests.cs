using System.Text.Json.Nodes;
using RadMah.Engine.Simulation.Process;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Engine.Tests.Simulation;

/// <summary>docs/schemas/scenario.schema.json and docs/SIMULATE.md say what the reader accepts; held to it.</summary>
public class ScenarioSchemaTests
{
    private static string Docs(string file)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "RadMah.Orleans.sln"))) return File.ReadAllText(Path.Combine(d.FullName, "docs", file));
        throw new InvalidOperationException("no repository root above the tests");
    }

    private static readonly JsonNode Schema = JsonNode.Parse(Docs("schemas/scenario.schema.json"))!;

    private static string[] Enum(string def) => [.. Schema["$defs"]![def]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal)];

    [Fact]
    public void The_schema_names_the_tags_event_types_and_fields_the_reader_takes()
    {
        string[] Tags(Func<PlantTag, bool> which) => [.. SwatTags.All.Where(which).Select(t => t.Name).Order(StringComparer.Ordinal)];
        Assert.Equal(Tags(t => t.IsSensor), Enum("sensorTag"));
        Assert.Equal(Tags(t => t.Kind == TagKind.Valve), Enum("valveTag"));
        Assert.Equal(Tags(t => t.Kind == TagKind.Pump), Enum("pumpTag"));
        Assert.Equal(Setpoints.Defaults.Keys.Select(k => SwatTags.All[k].Name).Order(StringComparer.Ordinal), Enum("thresholdTag"));
        var types = Schema["$defs"]!["event"]!["properties"]!["type"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>());
        Assert.Equal(ScenarioEvent.Types.Select(ScenarioEvent.NameOf).Order(StringComparer.Ordinal), types.Order(StringComparer.Ordinal));
        var written = ScenarioReader.Normal("1h").ToJson().Select(p => p.Key).Order(StringComparer.Ordinal);
        Assert.Equal(written, Schema["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_example_scenario_in_the_docs_reads_as_written()
    {
        var doc = Docs("SIMULATE.md");
        var start = doc.IndexOf("```json scenario\n", StringComparison.Ordinal) + "```json scenario\n".Length;
        var example = ScenarioReader.Read(doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)]);
        Assert.Equal(11, example.Events.Count);
        Assert.Equal(86_400, example.Samples);
    }
}
