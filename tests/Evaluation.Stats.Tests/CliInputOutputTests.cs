namespace Evaluation.Stats.Tests;

/// <summary>Issue 13 in the CLI: --out never overwrites without --force nor follows a link; input options; progress off when not a terminal.</summary>
public class CliInputOutputTests
{
    [Fact]
    public void Out_RefusesBadPaths_ExistingFilesWithoutForce_AndSymbolicLinks()
    {
        var file = CliTests.Temp("existing.txt", "keep me");
        Assert.Equal(2, CliTests.Run("demo", "--out", file).Code);
        Assert.Equal("keep me", File.ReadAllText(file));
        var devNull = CliTests.Run("demo", "--out", "/dev/null");
        Assert.Equal(2, devNull.Code);
        Assert.Contains("not a directory", devNull.Err);

        var dir = Path.GetDirectoryName(CliTests.Temp("x", ""))!;
        File.WriteAllText(Path.Combine(dir, "report.txt"), "old");
        var exists = CliTests.Run("demo", "--out", dir);
        Assert.Equal(2, exists.Code);
        Assert.Contains("--force", exists.Err);
        Assert.Equal("old", File.ReadAllText(Path.Combine(dir, "report.txt")));
        Assert.Equal(0, CliTests.Run("demo", "--out", dir, "--force").Code);
        Assert.NotEqual("old", File.ReadAllText(Path.Combine(dir, "report.txt")));

        var target = CliTests.Temp("target.txt", "not yours");
        var linked = Path.GetDirectoryName(CliTests.Temp("y", ""))!;
        File.CreateSymbolicLink(Path.Combine(linked, "report.json"), target);
        var link = CliTests.Run("demo", "--out", linked, "--force");
        Assert.Equal(2, link.Code);
        Assert.Contains("symbolic link", link.Err);
        Assert.Equal("not yours", File.ReadAllText(target));
    }

    [Fact]
    public void InputOptions_TsvWithUkDates_AndProgressIsOffWhenNotATerminal()
    {
        var csv = File.ReadAllLines(CliTests.Fixture("demo", "journeys.csv"));
        static string Uk(string d) => d.Length == 10 ? $"{d[8..10]}/{d[5..7]}/{d[..4]}" : d;
        var tsv = string.Join("\n", csv.Select((l, i) => string.Join("\t", l.Split(',').Select((v, c) => i > 0 && c is 2 or 3 ? Uk(v) : v)))) + "\n";
        var design = CliTests.PlainDesign();
        var reference = CliTests.Run("journeys", "--journeys", CliTests.Fixture("demo", "journeys.csv"), "--design", design, "--json");
        var uk = CliTests.Run("journeys", "--journeys", CliTests.Temp("j.tsv", tsv), "--design", design, "--json", "--delimiter", "\\t", "--date-format", "dd/MM/yyyy");
        Assert.Equal(0, uk.Code);
        Assert.Equal(reference.Out, uk.Out);
        Assert.Equal("", uk.Err); // --progress auto: stderr here is not a terminal, so no status lines (it was the other way round before)
        Assert.Equal(2, CliTests.Run("journeys", "--journeys", CliTests.Temp("j.tsv", tsv), "--design", design, "--date-format", "dd").Code);
    }

    [Theory]
    [InlineData("trends")]
    [InlineData("indicators")]
    public void InputOptions_ReachTheNewerCommands_TsvWithUkDatesGivesTheSameJson(string command)
    {
        var csv = File.ReadAllLines(CliTests.Fixture("demo", "journeys.csv"));
        static string Uk(string d) => d.Length == 10 ? $"{d[8..10]}/{d[5..7]}/{d[..4]}" : d;
        var tsv = string.Join("\n", csv.Select((l, i) => string.Join("\t", l.Split(',').Select((v, c) => i > 0 && c is 2 or 3 ? Uk(v) : v)))) + "\n";
        var design = CliTests.PlainDesign();
        var reference = CliTests.Run(command, "--journeys", CliTests.Fixture("demo", "journeys.csv"), "--design", design, "--json");
        Assert.Equal(0, reference.Code);
        var uk = CliTests.Run(command, "--journeys", CliTests.Temp("j.tsv", tsv), "--design", design, "--json", "--delimiter", "\\t", "--date-format", "dd/MM/yyyy");
        Assert.Equal(0, uk.Code);
        Assert.Equal(reference.Out, uk.Out);
        // Without the options the tab-separated file has no journey columns: an input error, not a silent empty result.
        Assert.Equal(2, CliTests.Run(command, "--journeys", CliTests.Temp("j.tsv", tsv), "--design", design, "--json").Code);
    }
}
