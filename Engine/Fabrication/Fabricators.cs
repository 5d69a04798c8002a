using RadMah.Engine.Contracts;
using RadMah.Engine.Kinds;

namespace RadMah.Engine.Fabrication;

/// <summary>Which path turns a description into a contract: the built-in compiler here; an LLM backend is not built yet.</summary>
public static class Fabricators
{
    public static void CheckBackend(string? backend)
    {
        switch (backend)
        {
            case null or FabricationContract.CompilerBackend:
                return;
            case "llm":
                throw new ContractException("params: backend llm is not available: this build has no LLM backend yet; backend=compiler (the default) uses the built-in compiler.", "params", ContractFault.FailedPrecondition);
            default:
                throw new ContractException($"params: backend must be compiler or llm; got '{backend}'.");
        }
    }
}
