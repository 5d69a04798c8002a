using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Datasets;

namespace RadMah.Engine.Tests.Analysis;

public static class Profiles
{
    public static async Task<DatasetProfile> OfAsync(byte[] bytes, string name = "data.csv", ProfileOptions? options = null)
    {
        var format = DatasetFormatDetector.Detect(bytes, name);
        await using var reader = await TableReaders.OpenAsync(new MemoryStream(bytes), format, name, null, TestContext.Current.CancellationToken);
        var info = new DatasetInfo { Name = name, ContentHash = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), Format = format.ToWire(), SizeBytes = bytes.Length };
        return await TableProfiler.ProfileAsync(reader, info, options ?? new ProfileOptions(), TestContext.Current.CancellationToken);
    }

    public static ColumnProfile Column(this DatasetProfile profile, string name) => profile.Columns.Single(c => c.Name == name);
}
