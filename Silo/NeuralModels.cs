using System.Reflection;
using System.Runtime.Loader;
using RadMah.Engine.Synthesis.Models;

namespace RadMah.Silo;

/// <summary>
/// The neural model families (tvae, ctgan) come as a plugin: the build output of RadMah.Neural
/// (TorchSharp and LibTorch's native libraries, about 480 MB), loaded only by the silos that are
/// given its directory. Silos of the gpu tier carry it; the others, and the radmah CLI's embedded
/// node, stay small and train gaussian_copula only.
/// </summary>
public static class NeuralModels
{
    public const string AssemblyFile = "RadMah.Neural.dll";
    public const string EnvironmentVariable = "RADMAH_NEURAL_MODELS";

    /// <summary>Why <paramref name="directory"/> cannot be loaded from, or null when it can.</summary>
    public static string? Validate(string directory) =>
        File.Exists(Path.Combine(directory, AssemblyFile)) ? null
        : $"--neural-models: {directory} does not hold {AssemblyFile} (build it with: dotnet build Neural -c Release; the directory is Neural/bin/Release/net10.0/linux-x64).";

    /// <summary>
    /// Loads the plugin into the process (its own dependencies, managed and native, resolved from its
    /// directory; the platform's assemblies shared with the host) and creates each model family it exports.
    /// </summary>
    public static IReadOnlyList<IModelFamily> Load(string directory)
    {
        var path = Path.GetFullPath(Path.Combine(directory, AssemblyFile));
        if (Validate(directory) is { } problem) throw new ArgumentException(problem, nameof(directory));
        var resolver = new AssemblyDependencyResolver(path);
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            resolver.ResolveAssemblyToPath(name) is { } found ? context.LoadFromAssemblyPath(found) : null;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) =>
            resolver.ResolveUnmanagedDllToPath(name) is { } found ? System.Runtime.InteropServices.NativeLibrary.Load(found) : IntPtr.Zero;
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        var families = assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IModelFamily).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (IModelFamily)Activator.CreateInstance(t)!)
            .ToArray();
        if (families.Length == 0) throw new ArgumentException($"{path} exports no model family.", nameof(directory));
        return families;
    }
}
