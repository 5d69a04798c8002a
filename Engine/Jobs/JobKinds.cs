using RadMah.Engine.Contracts;

namespace RadMah.Engine.Jobs;

/// <summary>
/// The ten job kinds of the product page, by name. Which of them a node can run is whatever it
/// registered (<see cref="JobKindCatalog"/>); the others are refused at submission, never faked.
/// </summary>
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

    /// <summary>The kind of a request that names none: the page's main job.</summary>
    public const string Default = Mock;

    public static bool IsKnown(string? kind) => kind is not null && All.Contains(kind);

    public static ContractException Unknown(string? kind) => new($"unknown kind '{kind}'; known kinds: {string.Join(", ", All)}.", "kind");
}
