using RadMah.Engine.Contracts;

namespace RadMah.Engine.Jobs;

/// <summary>The ten job kinds of the product page, and which of them this build can run.</summary>
public static class JobKinds
{
    public const string Mock = "mock";
    public const string Fabricate = "fabricate";
    public const string Analyze = "analyze";
    public const string Fit = "fit";
    public const string Train = "train";
    public const string Synthesize = "synthesize";
    public const string Simulate = "simulate";
    public const string ScenarioFabricate = "scenario_fabricate";
    public const string Lift = "lift";
    public const string Verify = "verify";

    public static readonly IReadOnlyList<string> All = [Mock, Fabricate, Analyze, Fit, Train, Synthesize, Simulate, ScenarioFabricate, Lift, Verify];

    /// <summary>Kinds whose pipeline is built. The others are refused at submission, never accepted and faked.</summary>
    public static readonly IReadOnlyList<string> Available = [Mock, Verify, Analyze, Fit, Lift];

    public static bool IsKnown(string? kind) => kind is not null && All.Contains(kind);

    public static void EnsureKnown(string? kind)
    {
        if (!IsKnown(kind))
            throw new ContractException($"unknown kind '{kind}'; known kinds: {string.Join(", ", All)}.");
    }

    /// <summary>Throws the user-facing refusal for an unknown kind or one not built yet.</summary>
    public static void EnsureAvailable(string? kind)
    {
        EnsureKnown(kind);
        if (!Available.Contains(kind!))
            throw new ContractException($"kind {kind} is not available yet; available kinds: {string.Join(", ", Available)}.");
    }
}
