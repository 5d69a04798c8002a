namespace RadMah.Grains.Interfaces.Accounts;

[GenerateSerializer, Immutable]
public sealed record AccountView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Plan,
    [property: Id(2)] DateTime CreatedAt,
    [property: Id(3)] decimal Balance,
    [property: Id(4)] decimal Held,
    [property: Id(5)] bool TestAccount = false)
{
    public decimal Available => Balance - Held;
}
