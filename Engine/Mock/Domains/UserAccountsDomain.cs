using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Domains;

public sealed class UserAccountsDomain : IMockDomain
{
    public string Name => "user_accounts";
    public IReadOnlyList<string> Keywords => ["user", "users", "account", "accounts", "member", "members", "subscriber", "subscribers", "signup", "signups", "profile", "profiles"];
    public int Priority => 30;

    public IReadOnlyList<ColumnSpec> Build(DomainContext context) =>
    [
        Col.Sequence("user_id", "usr_"),
        Col.FirstName(),
        Col.LastName(),
        Col.Username(),
        Col.PersonalEmail(),
        Col.Country("country", context),
        Col.Categorical("plan", ("free", 70), ("pro", 25), ("enterprise", 5)),
        Col.Timestamp("created_at", context),
        Col.TimestampAfter("last_login_at", "created_at", 0, 180 * 86_400),
        Col.Boolean("is_verified", 0.88),
        Col.Boolean("two_factor_enabled", 0.35),
    ];
}
