using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace RadMah.Cli.Tests;

/// <summary>The remote commands as a user runs them: a separate radmah process against a real gateway.</summary>
public sealed class RemoteCommandTests(NodeFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-remote-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string BaseUrl => fixture.Node.RestBase.ToString();

    private async Task<JsonObject> JsonAsync(string key, params string[] args)
    {
        var result = await RadmahProcess.RunAsync(_dir, ["--base-url", BaseUrl, "--api-key", key, "--json", .. args]);
        Assert.True(result.ExitCode == 0, $"radmah {string.Join(' ', args)} exited {result.ExitCode}: {result.Output}{result.Error}");
        return (JsonNode.Parse(result.Output) as JsonObject)!;
    }

    [Fact]
    public async Task Download_all_then_verify_offline_and_a_flipped_byte_fails_with_its_reason()
    {
        var (_, key) = await fixture.Node.NewAccountAsync();
        var job = await JsonAsync(key, "jobs", "create", "--rows", "20000", "--description", "orders", "--seed", "5", "--wait", "--download-all", "evidence");
        Assert.Equal("succeeded", job["status"]!.GetValue<string>());
        var dir = Path.Combine(_dir, "evidence");
        foreach (var file in new[] { "dataset.csv", "dataset.arrow", "contract.json", "evidence.dsse.json", "seal-proof.json", "checkpoint.txt", "keys.pem" })
            Assert.True(File.Exists(Path.Combine(dir, file)), $"--download-all did not write {file}");

        // No server involved from here on: only the files.
        var bundle = Path.Combine(dir, "evidence.dsse.json");
        var verified = await RadmahProcess.RunAsync(_dir, "--json", "verify", bundle);
        Assert.True(verified.ExitCode == 0, verified.Output + verified.Error);
        var report = JsonNode.Parse(verified.Output)!;
        Assert.True(report["passed"]!.GetValue<bool>());
        Assert.Contains(report["checks"]!.AsArray(), c => c!["name"]!.GetValue<string>() == "inclusion" && c["passed"]!.GetValue<bool>());

        var csv = Path.Combine(dir, "dataset.csv");
        var bytes = await File.ReadAllBytesAsync(csv, TestContext.Current.CancellationToken);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(csv, bytes, TestContext.Current.CancellationToken);
        var failed = await RadmahProcess.RunAsync(_dir, "verify", bundle);
        Assert.Equal(9, failed.ExitCode);
        Assert.Contains("artifact dataset.csv: the bytes hash to", failed.Error);

        // With the seal proof and a key given explicitly, and a key that did not sign: the signature check names the problem.
        var otherKey = Path.Combine(_dir, "other.pem");
        using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256)) await File.WriteAllTextAsync(otherKey, ecdsa.ExportSubjectPublicKeyInfoPem(), TestContext.Current.CancellationToken);
        var wrongKey = await RadmahProcess.RunAsync(_dir, "verify", bundle, "--key", otherKey, "--proof", Path.Combine(dir, "seal-proof.json"), "--artifacts", dir);
        Assert.Equal(9, wrongKey.ExitCode);
        Assert.Contains("signature: signed by sha256:", wrongKey.Error);
        Assert.Equal(2, (await RadmahProcess.RunAsync(_dir, "verify", Path.Combine(_dir, "missing.json"))).ExitCode);
    }

    [Fact]
    public async Task Create_wait_download_get_list_artifacts_rerun_estimate_account()
    {
        var (accountId, key) = await fixture.Node.NewAccountAsync();
        var job = await JsonAsync(key, "jobs", "create", "--rows", "50000", "--description", "support tickets", "--seed", "11", "--wait", "--download", "t.csv");
        Assert.Equal("succeeded", job["status"]!.GetValue<string>());
        var id = job["id"]!.GetValue<string>();

        var artifacts = (await JsonAsync(key, "artifacts", "list", id))["artifacts"]!.AsArray();
        var csv = artifacts.Single(a => a!["artifact_type"]!.GetValue<string>() == "dataset.csv")!;
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_dir, "t.csv"), TestContext.Current.CancellationToken);
        Assert.Equal(csv["content_hash"]!.GetValue<string>(), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)));

        await JsonAsync(key, "artifacts", "download", artifacts[2]!["id"]!.GetValue<string>(), "--out", "contract.json");
        Assert.Equal(job["contract_digest"]!.GetValue<string>(), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(_dir, "contract.json"), TestContext.Current.CancellationToken))));

        Assert.Equal("succeeded", (await JsonAsync(key, "jobs", "get", id))["status"]!.GetValue<string>());
        Assert.Equal(id, (await JsonAsync(key, "jobs", "list", "--limit", "5"))["jobs"]![0]!["id"]!.GetValue<string>());

        var rerun = await JsonAsync(key, "jobs", "rerun", id, "--wait");
        Assert.Equal(id, rerun["rerun_of"]!.GetValue<string>());
        var rerunArtifacts = (await JsonAsync(key, "artifacts", "list", rerun["id"]!.GetValue<string>()))["artifacts"]!.AsArray();
        // Same outputs, byte for byte; the evidence bundle is the rerun's own (its id and times).
        static IEnumerable<string> Outputs(JsonArray list) => list.Where(a => a!["artifact_type"]!.GetValue<string>() != "evidence.dsse.json").Select(a => a!["content_hash"]!.GetValue<string>());
        Assert.Equal(3, Outputs(artifacts).Count());
        Assert.Equal(Outputs(artifacts), Outputs(rerunArtifacts));
        Assert.Single(rerunArtifacts, a => a!["artifact_type"]!.GetValue<string>() == "evidence.dsse.json");

        var estimate = await JsonAsync(key, "estimate", "--rows", "1000000", "--kind", "synthesize");
        Assert.Equal(1, estimate["estimated_credits"]!.GetValue<double>());
        Assert.Equal("GPU-S", estimate["training_tier"]!.GetValue<string>());
        var account = await JsonAsync(key, "account");
        Assert.Equal(accountId, account["id"]!.GetValue<string>());
        Assert.Equal(99.9, account["balance"]!.GetValue<double>(), 6);
    }

    [Fact]
    public async Task Cancel_a_running_job()
    {
        var (_, key) = await fixture.Node.NewAccountAsync(credits: 1000m);
        var job = await JsonAsync(key, "jobs", "create", "--rows", "300000000", "--description", "orders");
        var canceled = await JsonAsync(key, "jobs", "cancel", job["id"]!.GetValue<string>());
        Assert.Equal("canceled", canceled["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Settings_come_from_the_config_file_and_the_environment()
    {
        var (_, key) = await fixture.Node.NewAccountAsync();
        var configDir = Path.Combine(_dir, ".config", "radmah");
        Directory.CreateDirectory(configDir);
        await File.WriteAllTextAsync(Path.Combine(configDir, "config.json"), new JsonObject { ["base_url"] = BaseUrl, ["api_key"] = key }.ToJsonString(), TestContext.Current.CancellationToken);
        var fromFile = await RadmahProcess.RunAsync(_dir, "account", "--json");
        Assert.Equal(0, fromFile.ExitCode);

        File.Delete(Path.Combine(configDir, "config.json"));
        var fromEnvironment = await RadmahProcess.RunAsync(_dir, new Dictionary<string, string> { ["RADMAH_API_KEY"] = key, ["RADMAH_BASE_URL"] = BaseUrl }, "account", "--json");
        Assert.Equal(0, fromEnvironment.ExitCode);
    }

    [Fact]
    public async Task Failures_have_documented_exit_codes()
    {
        var (_, key) = await fixture.Node.NewAccountAsync(credits: 0.01m);
        Assert.Equal(3, (await RadmahProcess.RunAsync(_dir, "--base-url", BaseUrl, "account")).ExitCode);
        Assert.Equal(3, (await RadmahProcess.RunAsync(_dir, "--base-url", BaseUrl, "--api-key", "sl_live_wrong", "account")).ExitCode);
        Assert.Equal(4, (await RadmahProcess.RunAsync(_dir, "--base-url", BaseUrl, "--api-key", key, "jobs", "get", "job_aaaaaaaaaaaaaaaaaaaa")).ExitCode);
        var invalid = await RadmahProcess.RunAsync(_dir, "--base-url", BaseUrl, "--api-key", key, "jobs", "create", "--rows", "0", "--description", "orders");
        Assert.Equal(2, invalid.ExitCode);
        Assert.Contains("rows must be between", invalid.Output + invalid.Error);
        Assert.Equal(6, (await RadmahProcess.RunAsync(_dir, "--base-url", BaseUrl, "--api-key", key, "jobs", "create", "--rows", "100000", "--description", "orders")).ExitCode);
        Assert.Equal(2, (await RadmahProcess.RunAsync(_dir, "--base-url", BaseUrl, "--api-key", key, "jobs", "create", "--rows", "10")).ExitCode);
        Assert.Equal(5, (await RadmahProcess.RunAsync(_dir, "--base-url", "http://127.0.0.1:1", "--api-key", key, "account")).ExitCode);
    }

    [Fact]
    public async Task Admin_creates_accounts_and_keys_and_revokes_them()
    {
        var port = fixture.Node.ClusterPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var created = await RadmahProcess.RunAsync(_dir, "admin", "--cluster-port", port, "accounts", "create", "--plan", "enterprise", "--credits", "42", "--json");
        Assert.True(created.ExitCode == 0, created.Output + created.Error);
        var json = (JsonNode.Parse(created.Output) as JsonObject)!;
        var key = json["api_key"]!.GetValue<string>();
        Assert.StartsWith("sl_live_", key);
        var account = await JsonAsync(key, "account");
        Assert.Equal("enterprise", account["plan"]!.GetValue<string>());
        Assert.Equal(42, account["balance"]!.GetValue<double>());

        var accountId = json["account_id"]!.GetValue<string>();
        var topped = await RadmahProcess.RunAsync(_dir, "admin", "--cluster-port", port, "accounts", "topup", "--account", accountId, "--credits", "8", "--json");
        Assert.Equal(0, topped.ExitCode);
        Assert.Equal(50, (await JsonAsync(key, "account"))["balance"]!.GetValue<double>());

        var revoked = await RadmahProcess.RunAsync(_dir, "admin", "--cluster-port", port, "keys", "revoke", "--account", accountId, "--key-id", json["key_id"]!.GetValue<string>());
        Assert.Equal(0, revoked.ExitCode);
        Assert.Equal(3, (await RadmahProcess.RunAsync(_dir, "--base-url", BaseUrl, "--api-key", key, "account")).ExitCode);

        var test = await RadmahProcess.RunAsync(_dir, "admin", "--cluster-port", port, "accounts", "create", "--test", "--json");
        Assert.StartsWith("sl_test_", (JsonNode.Parse(test.Output) as JsonObject)!["api_key"]!.GetValue<string>());
        Assert.Equal(2, (await RadmahProcess.RunAsync(_dir, "admin", "--cluster-port", port, "accounts", "create", "--plan", "platinum")).ExitCode);
        Assert.Equal(5, (await RadmahProcess.RunAsync(_dir, "admin", "--cluster-port", "1", "accounts", "create")).ExitCode);
    }
}
