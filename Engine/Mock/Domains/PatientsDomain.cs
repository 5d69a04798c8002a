using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Domains;

public sealed class PatientsDomain : IMockDomain
{
    public string Name => "patients";
    public IReadOnlyList<string> Keywords => ["patient", "patients", "hospital", "admission", "admissions", "clinical", "medical", "ehr", "encounter", "encounters"];
    public int Priority => 60;

    public IReadOnlyList<ColumnSpec> Build(DomainContext context) =>
    [
        Col.Sequence("patient_id", "pat_"),
        Col.FirstName(),
        Col.LastName(),
        Col.Date("date_of_birth", new DateOnly(1930, 1, 1), new DateOnly(2024, 1, 1)),
        Col.Categorical("sex", ("female", 50.5), ("male", 49), ("unknown", 0.5)),
        // Approximate ABO/Rh frequencies of a mixed population.
        Col.Categorical("blood_type", ("O+", 37.4), ("A+", 35.7), ("B+", 8.5), ("AB+", 3.4), ("O-", 6.6), ("A-", 6.3), ("B-", 1.5), ("AB-", 0.6)),
        Col.Categorical("primary_diagnosis", ("I10 Essential hypertension", 18), ("E11 Type 2 diabetes", 12), ("J18 Pneumonia", 8), ("I50 Heart failure", 7), ("N39 Urinary tract infection", 7),
            ("J44 COPD", 6), ("M54 Back pain", 9), ("F32 Depressive episode", 8), ("K35 Appendicitis", 3), ("S72 Femur fracture", 3), ("U07 COVID-19", 4), ("R07 Chest pain", 15)),
        Col.Timestamp("admitted_at", context),
        Col.TimestampAfter("discharged_at", "admitted_at", 4 * 3_600, 21 * 86_400),
        Col.Categorical("insurance", ("private", 49), ("medicare", 18), ("medicaid", 17), ("self_pay", 8), ("other", 8)),
    ];
}
