using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Domains;

public sealed class EmployeesDomain : IMockDomain
{
    public string Name => "employees";
    public IReadOnlyList<string> Keywords => ["employee", "employees", "staff", "worker", "workers", "personnel", "hr", "payroll"];
    public int Priority => 50;

    public IReadOnlyList<ColumnSpec> Build(DomainContext context) =>
    [
        Col.Sequence("employee_id", "emp_", 8),
        Col.FirstName(),
        Col.LastName(),
        Col.Email("email", "first_name", "last_name", [("example-corp.com", 1)]),
        Col.Categorical("department", ("engineering", 28), ("sales", 18), ("operations", 15), ("customer_support", 12), ("marketing", 9), ("finance", 7), ("hr", 5), ("legal", 3), ("executive", 3)),
        Col.Categorical("level", ("junior", 30), ("mid", 38), ("senior", 22), ("lead", 7), ("director", 3)),
        Col.DateInWindow("hire_date", context with { WindowStart = context.WindowStart.AddYears(-12) }),
        Col.Amount("salary", mu: 11.1, sigma: 0.35, min: 25_000, max: 450_000),
        Col.Country("country", context),
        Col.ForeignKey("manager_id", "emp_", context.Cardinality(8), skew: 1.2, width: 8),
        Col.Boolean("is_remote", 0.34),
    ];
}
