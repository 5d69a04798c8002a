namespace RadMah.Architecture.Tests;

/// <summary>The repository this test was built from: its root (where RadMah.Orleans.sln is) and its C# sources.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "RadMah.Orleans.sln"))) return directory.FullName;
        throw new InvalidOperationException($"no RadMah.Orleans.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The C# files of a project folder, without build output; paths relative to the root, with '/'.</summary>
    public static IEnumerable<string> SourcesOf(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));
}
