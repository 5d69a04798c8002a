using Microsoft.Extensions.AI;

namespace RadMah.Engine.Fabrication.Llm;

/// <summary>
/// A deployment's LLM: any <see cref="IChatClient"/> (an OpenAI-compatible endpoint such as vLLM,
/// llama.cpp's server, LM Studio, Ollama or a hosted API), the model to ask, how long one call may
/// take and how many times an invalid answer is sent back for repair. Off unless configured.
/// </summary>
public sealed class LlmBackend(IChatClient client, string model, string kind, TimeSpan callTimeout, int maxRepairs = 2)
{
    public IChatClient Client { get; } = client;
    public string Model { get; } = model;
    /// <summary>What kind of endpoint it is, for the provenance record (openai-compatible, ollama, …).</summary>
    public string Kind { get; } = kind;
    public TimeSpan CallTimeout { get; } = callTimeout;
    public int MaxRepairs { get; } = maxRepairs;
}
