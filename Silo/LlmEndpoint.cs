using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using RadMah.Engine.Fabrication.Llm;

namespace RadMah.Silo;

/// <summary>
/// The deployment's LLM for fabricate and scenario_fabricate: an OpenAI-compatible endpoint (vLLM,
/// llama.cpp's server, LM Studio, Ollama's /v1, a hosted API) through Microsoft.Extensions.AI. The
/// API key is read from a file only its owner can read; it is never logged or kept in job state.
/// </summary>
public sealed record LlmEndpoint(string Endpoint, string Model, string? ApiKeyFile, TimeSpan CallTimeout)
{
    public const string EndpointVariable = "RADMAH_LLM_ENDPOINT", ModelVariable = "RADMAH_LLM_MODEL", KeyFileVariable = "RADMAH_LLM_API_KEY_FILE";

    /// <summary>What is wrong with the settings, or null.</summary>
    public string? Validate()
    {
        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return $"--llm-endpoint '{Endpoint}' is not an http(s) URL (for example http://127.0.0.1:11434/v1).";
        if (string.IsNullOrWhiteSpace(Model)) return "--llm-endpoint needs --llm-model NAME.";
        if (CallTimeout <= TimeSpan.Zero || CallTimeout > TimeSpan.FromMinutes(10)) return "--llm-timeout must be more than 0 and at most 600 seconds.";
        if (ApiKeyFile is null) return null;
        if (!File.Exists(ApiKeyFile)) return $"--llm-api-key-file {ApiKeyFile} does not exist.";
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(ApiKeyFile) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            return $"--llm-api-key-file {ApiKeyFile} can be read by others; make it owner-only (chmod 600).";
        return null;
    }

    public LlmBackend Create()
    {
        var key = ApiKeyFile is null ? "none" : File.ReadAllText(ApiKeyFile).Trim();
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(Endpoint),
            NetworkTimeout = CallTimeout + TimeSpan.FromSeconds(5),
            // One call is one try: the fabricator bounds time and repairs itself; the SDK's own retries would multiply the wait.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        var client = new OpenAI.Chat.ChatClient(Model, new ApiKeyCredential(key), options).AsIChatClient();
        return new LlmBackend(client, Model, "openai-compatible", CallTimeout);
    }
}
