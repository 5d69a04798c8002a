using System.Text.RegularExpressions;

namespace RadMah.Architecture.Tests;

/// <summary>
/// A kind's knowledge lives in its own files (Engine/Kinds/NameKind.cs, Grains/Work/NameWork.cs):
/// nothing else in the platform decides anything by a kind's name.
/// </summary>
public partial class KindNameTests
{
    private const string Names = "mock|fabricate|analyze|fit|train|synthesize|simulate|scenario_fabricate|lift|verify";

    /// <summary>A kind-name literal compared, switched on or listed with another; or a kind's constant used.</summary>
    [GeneratedRegex($"""(==|!=|\bis|\bor|\band|\bcase)\s*"({Names})"|"({Names})"\s*(==|!=|=>)|"({Names})"\s*,\s*"({Names})"|JobKinds\.(Mock|Fabricate|Analyze|Fit|Train|Synthesize|Simulate|ScenarioFabricate|Lift|Verify)\b""")]
    private static partial Regex MatchesOnAKind();

    /// <summary>The platform's generic code: every project but the kinds' own files and the list of the product's kinds.</summary>
    private static IEnumerable<string> GenericSources() =>
        new[] { "Grains", "Grains.Interfaces", "Gateway", "Silo", "Cli", "Sdk", "Artifacts", "Engine/Jobs", "Engine/Pricing" }
            .SelectMany(Repository.SourcesOf)
            .Where(f => !KindFile().IsMatch(f) && f != "Engine/Jobs/JobKinds.cs");

    /// <summary>A kind's own files: its engine type and its work.</summary>
    [GeneratedRegex(@"^(Engine/Kinds/\w+Kind|Grains/Work/\w+Work)\.cs$")]
    private static partial Regex KindFile();

    [Fact]
    public void No_code_outside_a_kinds_own_files_matches_on_a_kind_name()
    {
        var offences = GenericSources()
            .SelectMany(file => Repository.Read(file).Split('\n').Select((line, i) => (file, line: i + 1, text: line.Trim())))
            .Where(l => !l.text.StartsWith("//", StringComparison.Ordinal) && MatchesOnAKind().IsMatch(l.text))
            .Select(l => $"{l.file}:{l.line}: {l.text}")
            .ToArray();
        Assert.True(offences.Length == 0, "kind names decided on outside the kinds' own files:\n" + string.Join("\n", offences));
        Assert.True(GenericSources().Count() > 100, "the scan found too few files to mean anything");
    }

    [Theory]
    [InlineData("""if (kind == "mock") return;""")]
    [InlineData("""kind is "verify" or "fit" ? a : b""")]
    [InlineData("""case "lift":""")]
    [InlineData("""private static readonly string[] DataKinds = ["analyze", "fit", "lift"];""")]
    [InlineData("""kind == JobKinds.Train ? QueueTiers.Gpu : QueueTiers.Default""")]
    [InlineData("\"synthesize\" => Estimate(rows)")]
    public void The_scan_recognises_code_that_decides_by_a_kind_name(string line) => Assert.Matches(MatchesOnAKind(), line);

    [Theory]
    [InlineData("""CreateFromDatasetAsync("analyze", datasetId, parameters)""")]
    [InlineData("""var kind = JobKinds.Default;""")]
    [InlineData("""artifacts.Single(a => a.ArtifactType == ArtifactNames.DatasetCsv)""")]
    public void Naming_a_kind_without_deciding_by_it_is_not_an_offence(string line) => Assert.DoesNotMatch(MatchesOnAKind(), line);
}
