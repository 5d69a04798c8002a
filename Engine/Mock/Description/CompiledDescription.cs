using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Description;

/// <summary>A description compiled into a contract, with what was guessed or ignored along the way.</summary>
public sealed record CompiledDescription(MockContract Contract, IReadOnlyList<string> Warnings);
