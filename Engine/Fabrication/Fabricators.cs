using RadMah.Engine.Contracts;
using RadMah.Engine.Fabrication.Llm;
using RadMah.Engine.Kinds;

namespace RadMah.Engine.Fabrication;

/// <summary>Which path turns a description into a contract or scenarios: an LLM when the deployment configures one, else the built-in compiler.</summary>
public static class Fabricators
{
    public const string LlmBackendName = "llm";

    /// <summary>params.backend, or the default: the LLM when one is configured, the compiler otherwise.</summary>
    public static string Choose(string? asked, LlmBackend? llm) => asked switch
    {
        null => llm is null ? FabricationContract.CompilerBackend : LlmBackendName,
        FabricationContract.CompilerBackend => asked,
        LlmBackendName when llm is not null => asked,
        LlmBackendName => throw new ContractException(
            "params: backend llm: no LLM backend is configured on this deployment (serve --llm-endpoint URL --llm-model NAME); backend=compiler uses the built-in compiler.",
            "params", ContractFault.FailedPrecondition),
        _ => throw new ContractException($"params: backend must be compiler or llm; got '{asked}'."),
    };

    /// <summary>Where an LLM fabrication's answers are kept for its reruns.</summary>
    public static string RecordingKey(string jobId) => "llm-answers-" + jobId;
}
