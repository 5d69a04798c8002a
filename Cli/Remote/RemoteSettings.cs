using System.CommandLine;
using System.Text.Json;

namespace RadMah.Cli.Remote;

/// <summary>
/// Where remote commands connect and with which key. Each comes from, in order: the flag
/// (--base-url, --api-key), the environment (RADMAH_BASE_URL, RADMAH_API_KEY), the config file
/// ~/.config/radmah/config.json ({"base_url": …, "api_key": …}), and finally, for the key, the
/// development key a local `radmah serve` writes to ./data/dev-api-key.
/// </summary>
public sealed record RemoteSettings(string BaseUrl, string? ApiKey, string KeySource)
{
    public static readonly Option<string?> BaseUrlOption = new("--base-url") { Description = "Gateway REST address (default http://localhost:5080)", Recursive = true };
    public static readonly Option<string?> ApiKeyOption = new("--api-key") { Description = "API key (sl_live_… or sl_test_…)", Recursive = true };
    public static readonly Option<bool> JsonOption = new("--json") { Description = "Print JSON instead of tables, for scripts", Recursive = true };

    public static string ConfigPath =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"), "radmah", "config.json");

    public static RemoteSettings Resolve(ParseResult parse)
    {
        var (fileUrl, fileKey) = ReadConfigFile();
        var baseUrl = parse.GetValue(BaseUrlOption) ?? Environment.GetEnvironmentVariable(Sdk.RadMahClient.BaseUrlVariable) ?? fileUrl ?? Sdk.RadMahClient.DefaultBaseUrl;
        if (parse.GetValue(ApiKeyOption) is { Length: > 0 } flagKey) return new(baseUrl, flagKey, "--api-key");
        if (Environment.GetEnvironmentVariable(Sdk.RadMahClient.ApiKeyVariable) is { Length: > 0 } envKey) return new(baseUrl, envKey, Sdk.RadMahClient.ApiKeyVariable);
        if (fileKey is { Length: > 0 }) return new(baseUrl, fileKey, ConfigPath);
        var devKey = Path.Combine("data", "dev-api-key");
        if (File.Exists(devKey)) return new(baseUrl, File.ReadAllText(devKey).Trim(), devKey);
        return new(baseUrl, null, "nowhere");
    }

    private static (string? Url, string? Key) ReadConfigFile()
    {
        var path = ConfigPath;
        if (!File.Exists(path)) return (null, null);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            string? Get(string name) => doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return (Get("base_url"), Get("api_key"));
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.InvalidInput, $"{path} is not valid JSON: {ex.Message}");
        }
    }

    public Sdk.RadMahClient CreateClient()
    {
        if (ApiKey is null)
            throw new CliException(ExitCodes.AuthenticationFailed,
                $"no API key: pass --api-key, set {Sdk.RadMahClient.ApiKeyVariable}, write {ConfigPath}, or run `radmah serve` here (it writes data/dev-api-key).");
        try
        {
            return new Sdk.RadMahClient(ApiKey, BaseUrl);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ExitCodes.InvalidInput, ex.Message);
        }
    }
}
