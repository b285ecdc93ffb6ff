using Evaluation.Stats.Regression;
using PublicApiGenerator;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The core assembly's public surface, approved: any change to it (a new public type, a member made public, a
/// changed signature) fails this test until fixtures/api/Evaluation.Stats.approved.txt is updated in the same
/// commit, so surface changes are visible in review. On a mismatch the test writes the new surface beside the
/// test binaries as Evaluation.Stats.received.txt; copy it over the approved file if the change is intended.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void CoreAssembly_PublicSurface_IsTheApprovedOne()
    {
        var api = typeof(LogisticModel).Assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false });
        var approvedPath = CliTests.Fixture("api", "Evaluation.Stats.approved.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath) : "";
        if (Normalise(approved) != Normalise(api))
        {
            var received = Path.Combine(Path.GetDirectoryName(approvedPath)!, "Evaluation.Stats.received.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(received)!);
            File.WriteAllText(received, api);
            Assert.Fail($"The public API changed. Review {received} and, if intended, copy it to tests/Evaluation.Stats.Tests/fixtures/api/Evaluation.Stats.approved.txt.");
        }
    }

    [Fact]
    public void FastInternals_AreNotPublic()
    {
        var api = typeof(LogisticModel).Assembly.GeneratePublicApi();
        foreach (var name in new[] { "class FastDesign", "interface IDesignRows", "class DesignMatrix", "FastLogisticRegression", "IrlsLoop" })
            Assert.DoesNotContain(name, api);
        Assert.Contains("public sealed class LogisticModel", api);
    }

    private static string Normalise(string s) => s.Replace("\r\n", "\n").Trim();
}
