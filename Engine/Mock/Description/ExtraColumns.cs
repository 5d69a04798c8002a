using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Domains;

namespace RadMah.Engine.Mock.Description;

/// <summary>
/// Columns a description can ask for by name ("with email, country and signup date"). Adding one
/// also adds what it derives from: an email brings the name columns it is made of, a currency its country.
/// </summary>
public static class ExtraColumns
{
    /// <summary>Word in the description → the column it asks for.</summary>
    public static readonly IReadOnlyDictionary<string, string> Words = new Dictionary<string, string>
    {
        ["email"] = "email", ["emails"] = "email", ["email_address"] = "email",
        ["phone"] = "phone", ["phones"] = "phone", ["phone_number"] = "phone", ["telephone"] = "phone", ["mobile_number"] = "phone",
        ["country"] = "country", ["countries"] = "country", ["nationality"] = "country",
        ["currency"] = "currency", ["currencies"] = "currency",
        ["signup_date"] = "signup_date", ["registration_date"] = "signup_date", ["join_date"] = "signup_date",
        ["date_of_birth"] = "date_of_birth", ["birth_date"] = "date_of_birth", ["dob"] = "date_of_birth", ["birthday"] = "date_of_birth",
        ["name"] = "name", ["names"] = "name", ["full_name"] = "name",
        ["username"] = "username", ["usernames"] = "username",
        ["ip_address"] = "ip_address", ["ip"] = "ip_address",
        ["card_number"] = "card_number", ["credit_card"] = "card_number",
        ["amount"] = "amount", ["amounts"] = "amount", ["price"] = "amount", ["value"] = "amount",
        ["gender"] = "gender", ["sex"] = "gender",
        ["age"] = "age", ["ages"] = "age",
        ["timestamp"] = "created_at", ["timestamps"] = "created_at", ["created_at"] = "created_at",
    };

    /// <summary>Appends the named column (and what it needs) unless the table already has it.</summary>
    public static void Add(string column, List<ColumnSpec> columns, DomainContext context)
    {
        bool Has(string name) => columns.Any(c => c.Name == name);
        void EnsureNames()
        {
            if (!Has("first_name")) columns.Add(Col.FirstName());
            if (!Has("last_name")) columns.Add(Col.LastName());
        }
        void EnsureCountry()
        {
            if (!Has("country")) columns.Add(Col.Country("country", context));
        }

        switch (column)
        {
            case "name":
                EnsureNames();
                break;
            case "email" when !Has("email"):
                EnsureNames();
                columns.Add(Col.PersonalEmail());
                break;
            case "username" when !Has("username"):
                EnsureNames();
                columns.Add(Col.Username());
                break;
            case "phone" when !Has("phone"):
                EnsureCountry();
                columns.Add(Col.Phone("phone", "country"));
                break;
            case "country":
                EnsureCountry();
                break;
            case "currency" when !Has("currency"):
                EnsureCountry();
                columns.Add(Col.Currency("currency", "country", context));
                break;
            case "signup_date" when !Has("signup_date"):
                columns.Add(Col.DateInWindow("signup_date", context));
                break;
            case "date_of_birth" when !Has("date_of_birth"):
                columns.Add(Col.Date("date_of_birth", new DateOnly(1940, 1, 1), new DateOnly(2007, 1, 1)));
                break;
            case "ip_address" when !Has("ip_address"):
                columns.Add(Col.IpAddress());
                break;
            case "card_number" when !Has("card_number"):
                columns.Add(Col.CardNumber());
                break;
            case "amount" when !columns.Any(c => c.Generator == "lognormal"):
                columns.Add(Col.Amount("amount", mu: 3.6, sigma: 1.0, min: 0.5, max: 25_000));
                break;
            case "gender" when !Has("gender") && !Has("sex"):
                columns.Add(Col.Categorical("gender", ("female", 49.5), ("male", 49.5), ("non_binary", 1)));
                break;
            case "age" when !Has("age"):
                columns.Add(Col.Integer("age", 18, 90, skew: 1.3));
                break;
            case "created_at" when !columns.Any(c => c.Type == ColumnType.Timestamp):
                columns.Add(Col.Timestamp("created_at", context));
                break;
        }
    }
}
