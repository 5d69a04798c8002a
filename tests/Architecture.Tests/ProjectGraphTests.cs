using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace RadMah.Architecture.Tests;

/// <summary>The project graph docs/ARCHITECTURE.md draws, held to it.</summary>
public partial class ProjectGraphTests
{
    private static XDocument Project(string path) => XDocument.Parse(Repository.Read(path));

    private static string[] References(string path, string item) =>
        [.. Project(path).Descendants(item).Select(e => e.Attribute("Include")!.Value)];

    [Fact]
    public void The_engine_references_no_database_driver_no_Orleans_and_no_other_project()
    {
        Assert.Empty(References("Engine/Engine.csproj", "ProjectReference"));
        Assert.DoesNotContain(References("Engine/Engine.csproj", "PackageReference"), p => p.Contains("Npgsql") || p.Contains("Sqlite") || p.Contains("Orleans"));
    }

    [Fact]
    public void The_gateway_reaches_grains_through_their_interfaces_and_never_the_engine()
    {
        var references = References("Gateway/Gateway.csproj", "ProjectReference").Select(r => Path.GetFileNameWithoutExtension(r)).Order();
        Assert.Equal(["Artifacts", "Grains.Interfaces"], references);
    }

    [Fact]
    public void Artifact_storage_depends_on_nothing_of_the_platform()
    {
        Assert.Empty(References("Artifacts/Artifacts.csproj", "ProjectReference"));
        Assert.Equal(["Npgsql"], References("Artifacts/Artifacts.csproj", "PackageReference"));
    }

    [Fact]
    public void No_file_in_Grains_is_over_300_lines()
    {
        var long_ = Repository.SourcesOf("Grains").Select(f => (f, lines: Repository.Read(f).Split('\n').Length)).Where(x => x.lines > 300).ToArray();
        Assert.True(long_.Length == 0, string.Join("\n", long_.Select(x => $"{x.f}: {x.lines} lines")));
    }

    [GeneratedRegex(@"AddJobKind<(\w+)Kind, (\w+)Work>\(\)")]
    private static partial Regex Registration();

    [Fact]
    public void Every_registered_kind_is_its_kind_type_its_work_and_a_row_in_the_architecture_guide()
    {
        var registrations = Registration().Matches(Repository.Read("Grains/Hosting/SiloBuilderExtensions.cs")).ToArray();
        Assert.NotEmpty(registrations);
        var guide = Repository.Read("docs/ARCHITECTURE.md");
        foreach (var registration in registrations)
        {
            var (kind, work) = (registration.Groups[1].Value, registration.Groups[2].Value);
            Assert.Equal(kind, work);
            Assert.True(File.Exists(Path.Combine(Repository.Root, "Engine", "Kinds", kind + "Kind.cs")), $"Engine/Kinds/{kind}Kind.cs");
            Assert.True(File.Exists(Path.Combine(Repository.Root, "Grains", "Work", work + "Work.cs")), $"Grains/Work/{work}Work.cs");
            Assert.Contains($"`Engine/Kinds/{kind}Kind.cs`", guide);
        }
    }
}
