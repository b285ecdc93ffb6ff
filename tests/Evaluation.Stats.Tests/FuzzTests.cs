using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Fuzzing the CSV reader and the design parser through the CLI (a start on issue 6's list): mutated and truncated
/// inputs must end in exit 0 or 2 with a message, never an unhandled exception (exit 1). Bounded for CI.
/// </summary>
public class FuzzTests
{
    private static readonly string Journeys = string.Join("\n",
        new[] { "client_id,area,journey_start,journey_end,exit_reason,age,sex" }.Concat(
            new[] { "P1", "C1", "P2", "C2", "P3", "C3", "P4", "C4", "P5", "C5", "P6", "C6" }.SelectMany((a, k) => new[]
            {
                $"c{k}a,{a},2008-01-01,2008-06-01,1,30,M",
                $"c{k}b,{a},2010-01-01,2010-06-01,2,41,\"F\"",
                $"c{k}c,{a},2010-03-01,,,17,",
            }))) + "\n";

    private static readonly string Design = File.ReadAllText(CliTests.Fixture("demo", "design.json"))
        .Replace("\"covariates\"", "\"unusedA\"").Split("\"unusedA\"")[0].TrimEnd().TrimEnd(',') + "\n}\n";

    private const string Alphabet = ",\"\n\r;x0-9:{}[]\\ \u00e9\uFEFF";

    /// <summary>A mutation: 0 truncate, 1 insert a character, 2 delete a span, 3 duplicate a span, 4 replace a character.</summary>
    private static Gen<Func<string, string>> Mutation =>
        from kind in Gen.Choose(0, 4)
        from at in Gen.Choose(0, 10_000)
        from len in Gen.Choose(1, 40)
        from ch in Gen.Elements(Alphabet.ToCharArray())
        select (Func<string, string>)(s =>
        {
            if (s.Length == 0) return s;
            int p = at % s.Length, l = Math.Min(len, s.Length - p);
            return kind switch
            {
                0 => s[..p],
                1 => s.Insert(p, ch.ToString()),
                2 => s.Remove(p, l),
                3 => s.Insert(p, s.Substring(p, l)),
                _ => s.Remove(p, 1).Insert(p, ch.ToString()),
            };
        });

    private static Arbitrary<string> Mutated(string text) =>
        Gen.ListOf(Mutation).Select(ms => ms.Take(4).Aggregate(text, (s, m) => m(s))).ToArbitrary();

    private static bool Handled(string journeys, string design)
    {
        var j = CliTests.Temp("j.csv", journeys);
        var d = CliTests.Temp("d.json", design);
        foreach (var bad in new[] { "stop", "exclude" })
        {
            var (code, output, err) = CliTests.Run("journeys", "--journeys", j, "--design", d, "--json", "--on-bad-rows", bad);
            if (code == 1 || err.Contains("unexpected failure")) throw new Exception($"unexpected failure:\n{err}\n--- journeys ---\n{journeys}\n--- design ---\n{design}");
            if (code == 2 && !err.StartsWith("evalstats: ", StringComparison.Ordinal)) return false;
            if (code == 0 && !output.TrimStart().StartsWith('{')) return false;
        }
        return true;
    }

    [Fact]
    public void TheUnmutatedInputs_Run()
    {
        Assert.True(Handled(Journeys, Design));
        Assert.Equal(0, CliTests.Run("journeys", "--journeys", CliTests.Temp("j.csv", Journeys), "--design", CliTests.Temp("d.json", Design)).Code);
    }

    [Property(MaxTest = 150)]
    public Property MutatedJourneysCsv_NeverCrashes() => Prop.ForAll(Mutated(Journeys), j => Handled(j, Design));

    [Property(MaxTest = 150)]
    public Property MutatedDesignJson_NeverCrashes() => Prop.ForAll(Mutated(Design), d => Handled(Journeys, d));
}
