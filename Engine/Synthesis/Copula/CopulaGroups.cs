namespace RadMah.Engine.Synthesis.Copula;

/// <summary>How a table's training rows split into the groups a <see cref="GroupedCopula"/> models apart: by the values of one column, or into clusters.</summary>
/// <param name="Column">The column grouped by, or −1 for clusters of rows no column names.</param>
/// <param name="GroupOfRow">Each training row's group, 0 to <paramref name="Groups"/> − 1.</param>
/// <param name="Groups">How many groups.</param>
/// <param name="Continuous">Per column, whether the whole table's copula models it as continuous (every group's then does too).</param>
public sealed record CopulaGroups(int Column, int[] GroupOfRow, int Groups, bool[] Continuous);
