using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RadMah.Engine.Jobs;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Records;

namespace RadMah.Grains.Submission;

/// <summary>One account's idempotency keys of job creation, kept in the platform records.</summary>
internal sealed class IdempotencyKeyClaims(IPlatformRecords records, string accountId, ILogger logger)
{
    /// <summary>Claims the key for <paramref name="jobId"/>, or returns the live claim made before (another job).</summary>
    public Task<IdempotencyClaim> ClaimAsync(string key, string fingerprint, string jobId)
    {
        var now = DateTime.UtcNow;
        return records.ClaimIdempotencyKeyAsync(new IdempotencyClaim(accountId, key, fingerprint, jobId, now), now - IdempotencyKeys.Lifetime);
    }

    /// <summary>
    /// Frees a key whose job was not created. Never throws: a claim left behind names a job that
    /// does not exist, and the next request with the key takes it over.
    /// </summary>
    public async Task ReleaseQuietlyAsync(string key, string jobId)
    {
        try
        {
            await records.ReleaseIdempotencyKeyAsync(accountId, key, jobId);
        }
        catch (Exception ex)
        {
            logger.LogWarning("Idempotency key of job {JobId} could not be freed; its next use takes it over: {Error}", jobId, ex.GetBaseException().Message);
        }
    }

    public Task ReleaseAsync(string key, string jobId) => records.ReleaseIdempotencyKeyAsync(accountId, key, jobId);

    /// <summary>Deletes the account's expired claims. Never throws: the next sweep tries again.</summary>
    public async Task SweepQuietlyAsync()
    {
        try
        {
            await records.DeleteIdempotencyKeysAsync(accountId, DateTime.UtcNow - IdempotencyKeys.Lifetime);
        }
        catch (Exception ex)
        {
            logger.LogDebug("Expired idempotency keys of {AccountId} stay until the next sweep: {Error}", accountId, ex.GetBaseException().Message);
        }
    }

    /// <summary>
    /// SHA-256 (hex) of the request as the server reads it: absent kind and seed count as their
    /// defaults, and params in key order, so only a request that asks for something else differs.
    /// </summary>
    public static string Fingerprint(JobSubmission submission)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", string.IsNullOrEmpty(submission.Kind) ? JobKinds.Default : submission.Kind);
            json.WriteNumber("rows", submission.Rows);
            json.WriteString("description", submission.Description ?? "");
            json.WriteNumber("seed", submission.Seed ?? JobSubmission.DefaultSeed);
            json.WriteBoolean("interactive", submission.Interactive);
            json.WriteString("dataset_id", submission.DatasetId ?? "");
            json.WriteStartObject("params");
            foreach (var (name, value) in (submission.Params ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
                json.WriteString(name, value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }
}
