using System.Text.Json;
using System.Text.Json.Serialization;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Seals;

namespace RadMah.Grains.Records;

/// <summary>How the SQL stores write values that are not plain columns: ledger entry kinds and a seal's artifact list.</summary>
internal static class RecordEncoding
{
    public static string KindName(LedgerEntryKind kind) => kind switch
    {
        LedgerEntryKind.Deposit => "deposit",
        LedgerEntryKind.Hold => "hold",
        LedgerEntryKind.Debit => "debit",
        LedgerEntryKind.Release => "release",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown ledger entry kind"),
    };

    public static LedgerEntryKind ParseKind(string name) => name switch
    {
        "deposit" => LedgerEntryKind.Deposit,
        "hold" => LedgerEntryKind.Hold,
        "debit" => LedgerEntryKind.Debit,
        "release" => LedgerEntryKind.Release,
        _ => throw new InvalidDataException($"radmah_ledger_entries holds an unknown entry kind '{name}'."),
    };

    /// <summary>A seal's artifacts as JSON (snake_case, like the API).</summary>
    public static string SealArtifacts(IEnumerable<SealedArtifact> artifacts) =>
        JsonSerializer.Serialize(artifacts.Select(a => new StoredSealArtifact(a.Name, a.ArtifactType, a.ContentHash)).ToArray());

    public static SealedArtifact[] ParseSealArtifacts(string json) =>
        [.. (JsonSerializer.Deserialize<StoredSealArtifact[]>(json) ?? []).Select(a => new SealedArtifact(a.Name, a.ArtifactType, a.ContentHash))];

    private sealed record StoredSealArtifact(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("artifact_type")] string ArtifactType,
        [property: JsonPropertyName("content_hash")] string ContentHash);
}
