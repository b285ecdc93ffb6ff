using System.Globalization;
using Evaluation.Stats.Economics;

namespace Evaluation.Stats.Data;

/// <summary>
/// Reads the economics stage's inputs (docs/cli.md, <c>economics</c>): effects (<c>pair</c>, <c>outcome</c>,
/// <c>did</c>, optional <c>stdError</c>, <c>n</c>) and costs (<c>pair</c>, <c>year</c>, <c>cost</c>). Every error
/// names the file, the line and the column.
/// </summary>
public static class EconomicsReaders
{
    private static readonly string[] Outcomes = [OutcomeNames.EffectiveTreatment, OutcomeNames.SuccessfulCompletionOfCaseload];

    /// <summary>Reads effects, one row per pair and outcome, into one <see cref="PairEffects"/> per pair in order of first appearance.</summary>
    /// <exception cref="InputFormatException">When a value does not parse or is out of range, an outcome is unknown, or a pair repeats an outcome.</exception>
    public static IReadOnlyList<PairEffects> Effects(string path)
    {
        using var source = Sources.Open(path, ReadOptions.Default);
        return Effects(source);
    }

    /// <summary>Reads effects from CSV text.</summary>
    public static IReadOnlyList<PairEffects> Effects(TextReader csv, string sourceName)
    {
        using var source = new DelimitedSource(csv, sourceName, ReadOptions.Default);
        return Effects(source);
    }

    /// <summary>
    /// Reads costs, one row per pair and year, into one <see cref="PairCosts"/> per pair. Years run from 1 with none
    /// missing or repeated. With <paramref name="pairs"/>, a row for a pair not in it is an error naming the row.
    /// </summary>
    /// <exception cref="InputFormatException">When a value does not parse or is out of range, a year repeats or is missing, or a pair is unknown.</exception>
    public static IReadOnlyList<PairCosts> Costs(string path, IReadOnlyCollection<string>? pairs = null)
    {
        using var source = Sources.Open(path, ReadOptions.Default);
        return Costs(source, pairs);
    }

    /// <summary>Reads costs from CSV text.</summary>
    public static IReadOnlyList<PairCosts> Costs(TextReader csv, string sourceName, IReadOnlyCollection<string>? pairs = null)
    {
        using var source = new DelimitedSource(csv, sourceName, ReadOptions.Default);
        return Costs(source, pairs);
    }

    private static IReadOnlyList<PairEffects> Effects(IRowSource source)
    {
        var table = new TableReader(source, ReadOptions.Default, ["pair", "outcome", "did", "n"], ["stdError"]);
        var rows = table.Read(row =>
        {
            var outcome = row.Required("outcome");
            if (!Outcomes.Contains(outcome))
                throw new FieldException(table.HeaderOf("outcome"), $"'{outcome}' is not an outcome the economics stage values; use {string.Join(" or ", Outcomes)}");
            double did = Number(row, table, "did");
            if (did is < -1 or > 1) throw new FieldException(table.HeaderOf("did"), $"a DiD of proportions is a fraction in [-1, 1]; got {did} (give -0.034, not -3.4)");
            long n = row.Long("n");
            if (n < 0) throw new FieldException(table.HeaderOf("n"), $"n must be at least 0; got {n}");
            double? se = table.Has("stdError") && row.Optional("stdError") is not null ? Number(row, table, "stdError") : null;
            if (se < 0) throw new FieldException(table.HeaderOf("stdError"), $"a standard error must be at least 0; got {se}");
            return (row.Line, Pair: row.Required("pair"), Outcome: outcome, Effect: new OutcomeEffect(did, n, se));
        }).Records;
        var result = new List<PairEffects>();
        foreach (var g in rows.GroupBy(r => r.Pair, StringComparer.Ordinal))
        {
            var seen = new Dictionary<string, OutcomeEffect>(StringComparer.Ordinal);
            foreach (var r in g)
                if (!seen.TryAdd(r.Outcome, r.Effect))
                    throw new InputFormatException(source.Name, r.Line, table.HeaderOf("outcome"), $"pair '{g.Key}' has a second {r.Outcome} row");
            result.Add(new PairEffects(g.Key, seen.GetValueOrDefault(OutcomeNames.EffectiveTreatment), seen.GetValueOrDefault(OutcomeNames.SuccessfulCompletionOfCaseload)));
        }
        return result;
    }

    private static IReadOnlyList<PairCosts> Costs(IRowSource source, IReadOnlyCollection<string>? pairs)
    {
        var table = new TableReader(source, ReadOptions.Default, ["pair", "year", "cost"]);
        var rows = table.Read(row =>
        {
            var pair = row.Required("pair");
            if (pairs is not null && !pairs.Contains(pair))
                throw new FieldException(table.HeaderOf("pair"), $"costs are given for pair '{pair}', which has no effects (pairs with effects: {string.Join(", ", pairs)})");
            long year = row.Long("year");
            if (year < 1) throw new FieldException(table.HeaderOf("year"), $"a year is counted from 1 (the pilot's first year); got {year}");
            if (year > 1000) throw new FieldException(table.HeaderOf("year"), $"year {year} is not a plausible year of a pilot (give 1, 2, ...)");
            double cost = Number(row, table, "cost");
            if (cost < 0) throw new FieldException(table.HeaderOf("cost"), $"a cost must be at least 0 pounds; got {cost}");
            return (row.Line, Pair: pair, Year: (int)year, Cost: cost);
        }).Records;
        var result = new List<PairCosts>();
        foreach (var g in rows.GroupBy(r => r.Pair, StringComparer.Ordinal))
        {
            var byYear = new SortedDictionary<int, double>();
            foreach (var r in g)
                if (!byYear.TryAdd(r.Year, r.Cost))
                    throw new InputFormatException(source.Name, r.Line, table.HeaderOf("year"), $"pair '{g.Key}' has year {r.Year} twice");
            int last = byYear.Keys.Last();
            var missing = Enumerable.Range(1, last).FirstOrDefault(y => !byYear.ContainsKey(y));
            if (missing != 0)
                throw new InputFormatException(source.Name, g.Last().Line, table.HeaderOf("year"), $"pair '{g.Key}' has costs up to year {last} but none for year {missing}; give 0 for a year without costs");
            result.Add(new PairCosts(g.Key, byYear.Values));
        }
        return result;
    }

    private static double Number(Row row, TableReader table, string name)
    {
        var s = row.Required(name);
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v : throw new FieldException(table.HeaderOf(name), $"'{s}' is not a finite number");
    }
}
