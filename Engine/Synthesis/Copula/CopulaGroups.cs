namespace RadMah.Engine.Synthesis.Copula;

/// <summary>How a table's training rows split into the groups a <see cref="GroupedCopula"/> models apart: by the values of one column.</summary>
/// <param name="Column">The column grouped by.</param>
/// <param name="GroupOfRow">Each training row's group, 0 to <paramref name="Groups"/> − 1.</param>
/// <param name="Groups">How many groups.</param>
public sealed record CopulaGroups(int Column, int[] GroupOfRow, int Groups);
