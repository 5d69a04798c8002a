using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RadMah.Engine.Analysis.Inference;
using RadMah.Engine.Contracts;
using RadMah.Engine.Kinds;
using RadMah.Engine.Output;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Tests.Analysis;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>A contract's synthesis revision: reruns of contracts sealed before a change repeat the algorithms they were sealed with.</summary>
public sealed class SynthesisRevisionTests
{
    private static readonly byte[] Members = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "members.csv"));

    private static string Sha(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    /// <summary>As train (seed 17) then synthesize (70,000 rows, seed 23) and analyze (seed 5) run the fixture table, with a revision's fit.</summary>
    private static async Task<(string Model, string Rows, string LookAlike)> RunAsync(SynthesisRevision revision)
    {
        var ct = TestContext.Current.CancellationToken;
        var (model, _) = await CopulaTraining.TrainAsync(Members, "members.csv", seed: 17, parallelism: 2, revision.CopulaFitting);
        using var csv = new MemoryStream();
        await SynthesisRun.WriteRowsAsync(model, 70_000, 23, csv, null, new DatasetWriteOptions { Parallelism = 2 }, ct);
        var profile = await Profiles.OfAsync(Members, "members.csv");
        var dependence = await SynthesisRun.FitLookAlikeAsync(CopulaTraining.Opener(Members, "members.csv"), profile, 5, 2, revision.CopulaFitting, ct);
        var lookAlike = ContractInference.Infer(profile, rows: 2_000, seed: 5, dependence).Seal().Digest;
        return (Sha(model.ToBytes()), Sha(csv.ToArray()), lookAlike);
    }

    /// <summary>
    /// Each revision's digests were written by the last commit before the next revision, from the same calls: revision 1's by
    /// 636d57c (before discriminant categories and stratified sampling), revision 2's by 70d73f7 (before bounded scores),
    /// revision 3's by d30f388 (before a copula per group), revision 4's by 31bb734 (before ziggurat scores), revision 5's by 1589a32 (before inequality gaps). Revisions 6 to 8 fit
    /// and sample this fixture as 5 does; revision 9's by 4a00712 (before decimal places kept); revision 10's by 0ae1793 (before copies the marginals explain were kept); revision 11's by bfcc99c (before Pearson correlations matched); revision 12's by the commit before whitened blocks.
    /// </summary>
    [Fact]
    public async Task Each_revision_fits_and_samples_the_bytes_that_jobs_sealed_with_it_wrote_and_the_next_revision_does_not()
    {
        var first = await RunAsync(SynthesisRevision.First);
        Assert.Equal(("5BFA78270E75C163DB0E0EBD1C016F22275074804ED17D554C9A7A488EA26482",
            "A2CDD0DF099FBAC626F4EBCE1750B483C798D9CCA4A024325F53C9CF41C61C36", "sha256:ee3a04cee27ac723721290de41e78d2750b004b21fde3b4a5ad9f6a6fce32d9f"), first);

        var second = await RunAsync(SynthesisRevision.Stratified);
        Assert.Equal(("2961BE29112660EFD8925D2231D03BAC00B99072DC35A63CB6896812251422D5",
            "7A65E88B01E4D78E96CCF2468A91F72865C8B36D2A3E193B70B4E8F131FB5ACC", "sha256:47070b062c3e2b4dafe6d8bd19e944c66814eec7a846c98cde3e073f8b3d1d23"), second);

        var third = await RunAsync(SynthesisRevision.BoundedScores);
        Assert.Equal(("794AD52A82749A7BB9E12A7120E6BF39816877E7816FCAA4C998D3C488F84CFF",
            "74F85E5CCAC1550B166F9C0AAEFBC8AE22248D72926263FF106CCAF65456D9AC", "sha256:9b5d53649925df1bf05ea7412a84cc7c979b898c37d0d7425ceddcf675a7c1f2"), third);

        var fourth = await RunAsync(SynthesisRevision.Grouped);
        Assert.Equal(("7D2F8894C40E15CD8CC94440FA04D70E200BA218F461C82047BFFC92A4D92160",
            "2484DC7DF30B2BCE05F0531B917CD9E3035CBE81EB1893E0A4FEED0C020DB29D", "sha256:a1ab9d5d493daec606463b492ff00fa1c0c565723ae4fcbf99084839834e561a"), fourth);

        var fifth = await RunAsync(SynthesisRevision.ZigguratScores);
        Assert.Equal(("162DE36967DB7164237C4AD43ADA290557BC4FB31D933123CC9437E9D2119FF0",
            "406923AD0051D53D419194924E2D226029E94DFDE1CB1321A8E2D94DF0DBB079", "sha256:f3a092642636ad52c8413ebfb3095337c3890f26ae2f0b1dfb0a046c80afbad0"), fifth);

        // The fixture keeps no inequality, so revision 6 models it as 5 does (GapCopulaTests: a table that keeps some).
        var sixth = await RunAsync(SynthesisRevision.InequalityGaps);
        Assert.Equal(fifth, sixth);
        // Revision 7 fits and samples a model as 6 does; what changes is a synthesize job's guard against copies (CopyGuardTests).
        Assert.Equal(sixth, await RunAsync(SynthesisRevision.CopiesGuarded));
        // Revision 8 may cluster tables whose numbers have nulls (GroupedCopulaTests); the fixture, a null score on a tenth of its rows, keeps its model.
        Assert.Equal(sixth, await RunAsync(SynthesisRevision.NullClusters));
        // Revision 9 puts the empirical marginal's values at the middles of their steps; the fixture's continuous columns have one.
        var ninth = await RunAsync(SynthesisRevision.MarginalsRefined);
        Assert.Equal(("4C996FA165A0477AC68BC0521A6FA42FCE0543B60E1988D8979E36EF4F83AB93",
            "0E6E5314EF970F4B3A749A6261FC575FEC6B8425B40A11385252EB143626B3E3", "sha256:de6ae2da06757147077148ae0c69d74b7d8a0031a0967fb48bf8fd80da48198b"), ninth);
        // Revision 10 keeps decimal places beyond 6 and moves a nullable number's present values onto its marginal; the fixture's score has nulls.
        var tenth = await RunAsync(SynthesisRevision.PrecisionKept);
        Assert.Equal(("F4F4C7C3655258763B0FE6AF1233AC9656C8D87906A5C2FEB00FE05CDD6C9BAE",
            "98217569F0EB24B239ED87EE48281C7C7B4BE51C6EF333949F0BF9E46306C777", "sha256:db901b538243580430599519730f2158a057a92b2fcd4590d412de137f870158"), tenth);
        // Revision 11 fits the copula as 10 does and marks its rules' breaches to be drawn again from their own group
        // (GroupedCopulaTests), a mark in the model and the look-alike contract; the fixture's rows come out as 10's.
        // What else changes is how many copies a synthesize job's guard keeps (CopyGuardTests).
        var eleventh = await RunAsync(SynthesisRevision.MarginalCopies);
        Assert.Equal(("4086495CD8865D44A156DA89A499D3B521DED34FA92E51A16AAD821EEEDB968F",
            "98217569F0EB24B239ED87EE48281C7C7B4BE51C6EF333949F0BF9E46306C777", "sha256:37f8939261c2544364b93fc290b18ad025be3bfc6ad7cb93331e87623b83ac02"), eleventh);
        Assert.Equal(tenth.Rows, eleventh.Rows);
        // Revision 12 draws numbers with the training rows' Pearson correlation; the fixture has two numbers.
        var twelfth = await RunAsync(SynthesisRevision.PearsonMatched);
        Assert.Equal(("FDED7445D0F39301271C73F8E823762A359F0B2822797349F3DD5E57F9D5619E",
            "07C080D0563F5407CD5251E76D9A81C2B7A489848721B510B19218977F1C1689", "sha256:cb50cc766383f5fb23aab2769960d3d14bd4631c2bd693d17bd2cde2686c34df"), twelfth);
        // Revision 13 fits as 12 does and whitens a sample of fewer than 4,096 rows, a group's share of a chunk too (the fixture's
        // model is a copula per plan), and the model and the look-alike contract hold the new sampling's name.
        var thirteenth = await RunAsync(SynthesisRevision.WhitenedBlocks);
        Assert.Equal(("902F2F1CC3A325C2EFB057420C17CE4ACD4F140285904F3A0D18F12C021187E4",
            "BE7A58737477C20D40715E74F4D9BB7508D34CB94B1DF92B1178F0B5AEA88933", "sha256:9f68599ef31bfe653988e9fd9e75116f8e20e497d60b94c0bbf84a97ce47b2b8"), thirteenth);
        // Revision 14 may group a table of more than 128 copula dimensions (GroupedCopulaTests); the fixture, a few, keeps its bytes.
        Assert.Equal(thirteenth, await RunAsync(SynthesisRevision.MoreGroups));
        Assert.Equal(SynthesisRevision.Current, SynthesisRevision.MoreGroups);
        foreach (var (earlier, later) in new[] { (first, second), (second, third), (third, fourth), (fourth, fifth), (sixth, ninth), (ninth, tenth), (eleventh, twelfth), (twelfth, thirteenth) })
        {
            Assert.NotEqual(earlier.Model, later.Model);
            Assert.NotEqual(earlier.Rows, later.Rows);
            Assert.NotEqual(earlier.LookAlike, later.LookAlike);
        }
    }

    private static readonly DataInput Table = new("art_1", "members.csv", "csv", "sha256:" + new string('b', 64), 1_000, "ds_1", null);

    [Fact]
    public void New_train_and_analyze_contracts_are_sealed_with_the_current_revision_and_older_ones_keep_their_bytes_without_it()
    {
        var train = new SynthesisContract("train", Table, null, 0, 7, new Dictionary<string, string>());
        var sealedTrain = train.Seal();
        Assert.Equal(SynthesisRevision.Current.Number, JsonNode.Parse(sealedTrain.CanonicalJson)!["synthesis_revision"]!.GetValue<int>());
        Assert.Equal(sealedTrain.Digest, SynthesisContract.Parse(sealedTrain.CanonicalJson).Seal().Digest);

        // A contract as builds before revisions sealed it: no field. It reads as revision 1 and seals to the same bytes.
        var before = (train with { Revision = SynthesisRevision.First.Number }).Seal();
        Assert.Null(JsonNode.Parse(before.CanonicalJson)!["synthesis_revision"]);
        var reread = SynthesisContract.Parse(before.CanonicalJson);
        Assert.Equal(SynthesisRevision.First.Number, reread.Revision);
        Assert.Equal(before.Digest, reread.Seal().Digest);

        var analyze = new DataJobContract("analyze", Table, 7, new Dictionary<string, string>()) { Revision = SynthesisRevision.Current.Number }.Seal();
        Assert.Equal(SynthesisRevision.Current.Number, DataJobContract.Parse(analyze.CanonicalJson).Revision);
        var fit = new DataJobContract("fit", Table, 7, new Dictionary<string, string>()).Seal();
        Assert.Null(JsonNode.Parse(fit.CanonicalJson)!["synthesis_revision"]);
        Assert.Equal(SynthesisRevision.First.Number, DataJobContract.Parse(fit.CanonicalJson).Revision);
    }

    [Fact]
    public void A_contract_of_a_revision_this_build_does_not_know_is_refused_with_what_it_knows()
    {
        var json = JsonNode.Parse(new SynthesisContract("train", Table, null, 0, 7, new Dictionary<string, string>()).Seal().CanonicalJson)!.AsObject();
        json["synthesis_revision"] = SynthesisRevision.Current.Number + 1;
        var refused = Assert.Throws<ContractException>(() => SynthesisContract.Parse(json.ToJsonString()));
        Assert.Contains($"synthesis_revision {SynthesisRevision.Current.Number + 1}", refused.Message);
        Assert.Contains($"1 to {SynthesisRevision.Current.Number}", refused.Message);
        var data = JsonNode.Parse(new DataJobContract("analyze", Table, 7, new Dictionary<string, string>()).Seal().CanonicalJson)!.AsObject();
        data["synthesis_revision"] = 0;
        Assert.Throws<ContractException>(() => DataJobContract.Parse(data.ToJsonString()));
    }
}
