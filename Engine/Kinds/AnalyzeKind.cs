using RadMah.Engine.Jobs;

namespace RadMah.Engine.Kinds;

/// <summary>
/// analyze: profiles an upload (report.html, profile.json) and infers a look-alike mock contract
/// from it (contract.json). params: how to read the table (delimiter, header) and compare_with,
/// other uploads to look for foreign keys with.
/// </summary>
public sealed class AnalyzeKind : DataJobKind
{
    public const string ReportName = "report.html";
    public const string ProfileName = "profile.json";

    public override string Name => JobKinds.Analyze;

    public override string MainResult => ReportName;

    protected override bool ComparesDatasets => true;

    /// <summary>The look-alike contract's copula.</summary>
    protected override bool FitsModel => true;
}
