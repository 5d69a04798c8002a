namespace RadMah.Engine.Contracts;

/// <summary>A contract or job request that cannot be honoured, with a message meant for the user.</summary>
public class ContractException(string message) : Exception(message);
