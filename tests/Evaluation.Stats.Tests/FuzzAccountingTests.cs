using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Fuzzing the ingestion layer for rows lost in silence (issue 13): files cut inside quoted fields, injected quotes,
/// NaN and huge numbers, mixed line endings. Whatever the damage, a run that exits 0 must account for every record
/// of the file (counted here by an independent RFC 4180 splitter) in its cells plus its ledger.
/// </summary>
public class FuzzAccountingTests
{
    private static readonly string Journeys = File.ReadAllText(CliTests.Fixture("demo", "journeys.csv")).Split('\n').Take(400)
        .Aggregate((a, b) => a + "\n" + b) + "\n";

    private static readonly string[] Injections = ["\"", "\"\"", "NaN", "Infinity", "1e400", "99999999999999999999", "\r", "\r\n", "\n", ",", "\"a\nb\"", "N/A"];

    private static Gen<Func<string, string>> Damage =>
        from kind in Gen.Choose(0, 2)
        from at in Gen.Choose(0, 1_000_000)
        from what in Gen.Elements(Injections)
        select (Func<string, string>)(s =>
        {
            int p = at % Math.Max(1, s.Length);
            return kind switch
            {
                0 => s[..p],                                                          // cut anywhere, also inside a quoted field
                1 => s.Insert(p, what),                                               // inject a token
                _ => s.Replace("\n", p % 3 == 0 ? "\r\n" : p % 3 == 1 ? "\r" : "\n"), // another line ending for the whole file
            };
        });

    /// <summary>Records after the header, split the way RFC 4180 (and Sep) split them: a quote toggles, line breaks outside quotes end a record.</summary>
    internal static long Records(string text)
    {
        long records = 0;
        bool quoted = false, blank = true, header = true;
        for (int i = 0; i <= text.Length; i++)
        {
            char c = i < text.Length ? text[i] : '\n';
            if (c == '"') quoted = !quoted;
            if (!quoted && (c == '\n' || c == '\r'))
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                if (!blank) { if (header) header = false; else records++; }
                blank = true;
                continue;
            }
            if (!char.IsWhiteSpace(c)) blank = false;
        }
        return records;
    }

    private static bool Accounted(string journeys, string design)
    {
        var path = CliTests.Temp("j.csv", journeys);
        foreach (var mode in new[] { "stop", "exclude" })
        {
            var (code, output, err) = CliTests.Run("journeys", "--journeys", path, "--design", design, "--json", "--on-bad-rows", mode);
            if (code == 1) throw new Exception($"unexpected failure: {err}");
            if (code != 0) continue;
            var json = JsonNode.Parse(output)!;
            long expected = Records(journeys);
            foreach (var period in new[] { "Pre", "Post" })
            {
                long inCells = json["pairs"]!.AsArray().Sum(p => p!["outcomes"]!["effectiveTreatment"]!["cells"]!["pilot" + period]!["n"]!.GetValue<long>()
                                                             + p!["outcomes"]!["effectiveTreatment"]!["cells"]!["comparison" + period]!["n"]!.GetValue<long>());
                long excluded = json["exclusions"]!.AsArray().Where(e => e!["analysis"]!.GetValue<string>() == $"effectiveTreatment/{period.ToLowerInvariant()}")
                    .Sum(e => e!["rows"]!.GetValue<long>());
                if (inCells + excluded != expected)
                    throw new Exception($"exit 0 ({mode}) with {inCells} in cells + {excluded} in the ledger, but the file has {expected} records");
            }
        }
        return true;
    }

    [Fact]
    public void TheSplitterCountsRecords() =>
        Assert.Equal(3, Records("a,b\r\n1,\"x\ny\"\n\n2,3\r4,5"));

    [Property(MaxTest = 60)]
    public Property DamagedJourneys_NeverExit0_WithRowsUnaccountedFor()
    {
        var design = CliTests.PlainDesign();
        return Prop.ForAll(Gen.ListOf(Damage).Select(ds => ds.Take(3).Aggregate(Journeys, (s, d) => d(s))).ToArbitrary(), j => Accounted(j, design));
    }
}
