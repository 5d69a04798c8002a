namespace RadMah.Engine.Mock.Domains;

/// <summary>Every record type mock can generate.</summary>
public static class MockDomains
{
    public static readonly IReadOnlyList<IMockDomain> All =
    [
        new CustomersDomain(), new TransactionsDomain(), new OrdersDomain(), new ProductsDomain(),
        new EmployeesDomain(), new PatientsDomain(), new InvoicesDomain(), new SensorReadingsDomain(),
        new FlightsDomain(), new UserAccountsDomain(), new WebEventsDomain(), new SupportTicketsDomain(),
    ];

    public static IMockDomain Default => All[0];
}
