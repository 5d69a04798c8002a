using RadMah.Silo;

namespace RadMah.Silo.Tests;

/// <summary>serve --llm-endpoint: the settings are checked before a node starts, and the API key file must be its owner's alone.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class LlmEndpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-llm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string KeyFile(UnixFileMode mode)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, "sk-test\n");
        File.SetUnixFileMode(path, mode);
        return path;
    }

    [Fact]
    public void Good_settings_pass_and_make_a_backend_for_the_model()
    {
        var key = KeyFile(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var endpoint = new LlmEndpoint("http://127.0.0.1:11434/v1", "llama3.1", key, TimeSpan.FromSeconds(30));
        Assert.Null(endpoint.Validate());
        var backend = endpoint.Create();
        Assert.Equal(("llama3.1", "openai-compatible", TimeSpan.FromSeconds(30)), (backend.Model, backend.Kind, backend.CallTimeout));
    }

    [Fact]
    public void Bad_settings_are_refused_with_what_to_fix()
    {
        var shared = KeyFile(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Contains("can be read by others; make it owner-only (chmod 600)", new LlmEndpoint("http://127.0.0.1:8000/v1", "m", shared, TimeSpan.FromSeconds(5)).Validate());
        Assert.Contains("does not exist", new LlmEndpoint("http://127.0.0.1:8000/v1", "m", Path.Combine(_dir, "none"), TimeSpan.FromSeconds(5)).Validate());
        Assert.Contains("is not an http(s) URL", new LlmEndpoint("ftp://x", "m", null, TimeSpan.FromSeconds(5)).Validate());
        Assert.Contains("needs --llm-model", new LlmEndpoint("http://127.0.0.1:8000/v1", "", null, TimeSpan.FromSeconds(5)).Validate());
        Assert.Contains("--llm-timeout must be", new LlmEndpoint("http://127.0.0.1:8000/v1", "m", null, TimeSpan.Zero).Validate());
    }
}
