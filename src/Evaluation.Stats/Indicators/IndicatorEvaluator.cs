using System.Collections.ObjectModel;
using System.Globalization;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Indicators;

/// <summary>Runs the national indicators of methodology §13 for every pair of a design.</summary>
public static class IndicatorEvaluator
{
    private static readonly Period[] Periods = [Period.Pre, Period.Post];
    private static readonly string[] CellNames = ["pilotPre", "pilotPost", "comparisonPre", "comparisonPost"];

    /// <summary>Evaluates every indicator.</summary>
    /// <param name="design">The design (windows, pairs, rules, covariates of the adjusted model).</param>
    /// <param name="journeys">The journeys, with the optional waiting-time dates, and any rows set aside as unparseable.</param>
    /// <param name="top">TOP records, or <c>null</c> for no TOP outcomes.</param>
    /// <param name="options">The indicator parameters; <see cref="IndicatorOptions.Default"/> unless given.</param>
    /// <param name="implementation">The classifier and model path: fast unless given, or unless <c>EVALSTATS_IMPLEMENTATION=reference</c>.</param>
    /// <exception cref="ArgumentException">When a pair names an area absent from the journeys, a covariate is not a column,
    /// or a completion-without-re-presentation cell has n = 0.</exception>
    public static IndicatorResult Evaluate(EvaluationDesign design, RecordSet<Journey> journeys, RecordSet<TopRecord>? top = null,
        IndicatorOptions? options = null, Implementation? implementation = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(journeys);
        options ??= IndicatorOptions.Default;
        options.Validate();
        var impl = implementation ?? LogisticOptions.DefaultImplementation;
        var rows = journeys.Records;
        design.RequireAreasPresent(rows.Select(j => j.Area), "journeys");
        var errors = Evaluator.CovariateErrors(rows, j => j.Characteristics, design.Covariates, "journeys", intrinsic: "age");
        var windows = Periods.Select(design.Study.Window).ToArray();
        var c = impl == Implementation.Fast
            ? FastIndicatorClassifier.Classify(IndicatorTable.From(rows), windows, design.Rules, design.Pairs, options, errors)
            : IndicatorClassification.Reference(rows, windows, design.Rules, design.Pairs, options, errors);

        // Completion without re-presentation: cells, DiD and adjusted model exactly as the journey outcomes.
        var analyses = new List<(string, Period, IReadOnlyList<RowStatus>)>();
        for (int r = 0; r < options.RepresentationDays.Count; r++)
            for (int w = 0; w < Periods.Length; w++)
                analyses.Add((IndicatorNames.Representation(options.RepresentationDays[r]), Periods[w], c.RepresentationRows[r][w]));
        var representation = Evaluator.Assemble(design, analyses, journeys.Rejected, i => rows[i].SourceLine, (_, _) => 1,
            new ModelRows(design.Covariates, (i, column) => column == "age" ? rows[i].Age?.ToString(CultureInfo.InvariantCulture) : rows[i].Characteristics[column],
                i => rows[i].SourceLine, impl));

        var entries = new List<ExclusionEntry>(representation.Exclusions.Entries);
        var inputRows = representation.Exclusions.Analyses.ToDictionary(a => a, representation.Exclusions.InputRows, StringComparer.Ordinal);
        var classifications = new Dictionary<string, IReadOnlyList<RowStatus>>(representation.Classifications, StringComparer.Ordinal);
        void Ledger(string outcome, Period period, RowStatus[] status, Func<int, long> lineOf, IReadOnlyList<RejectedRow> rejected)
        {
            var name = OutcomeNames.Analysis(outcome, period);
            ExclusionLedger.Tally(name, status, lineOf, rejected, entries, inputRows);
            classifications[name] = Array.AsReadOnly(status);
        }
        for (int w = 0; w < Periods.Length; w++)
        {
            Ledger(IndicatorNames.TimeInTreatment, Periods[w], c.TimeInTreatmentRows[w], i => rows[i].SourceLine, journeys.Rejected);
            Ledger(IndicatorNames.WaitingTimes, Periods[w], c.WaitingRows[w], i => rows[i].SourceLine, journeys.Rejected);
        }

        double level = design.ConfidenceLevel;
        var tit = new List<TimeInTreatmentResult>();
        var waits = new List<WaitingTimesResult>();
        var allDays = Values(design.Pairs.Count, c.TimeInTreatmentRows, c.TreatmentDayRows);
        var allWaits = Values(design.Pairs.Count, c.WaitingRows, c.WaitRows);
        for (int k = 0; k < design.Pairs.Count; k++)
        {
            var name = design.Pairs[k].Name;
            var days = allDays[k];
            var titCells = new Dictionary<string, TimeInTreatmentCell>(StringComparer.Ordinal);
            for (int q = 0; q < 4; q++)
            {
                var v = days[q];
                var bands = new double[TreatmentBands.Labels.Count];
                foreach (int d in v) bands[TreatmentBands.Of(d)]++;
                for (int b = 0; b < bands.Length; b++) bands[b] = v.Count == 0 ? double.NaN : bands[b] / v.Count;
                long over = v.Count(d => d >= 2 * IndicatorClassifier.DaysPerYear);
                titCells[CellNames[q]] = new TimeInTreatmentCell(DaysSummary.Of(v), Array.AsReadOnly(bands), Proportions.Wilson(over, v.Count, level));
            }
            var s = CellNames.Select(n => titCells[n].Days).ToArray();
            tit.Add(new TimeInTreatmentResult(name, new ReadOnlyDictionary<string, TimeInTreatmentCell>(titCells),
                MeanDid.Estimate(s[0], s[1], s[2], s[3], level),
                Did(name, Cells(CellNames.Select(n => titCells[n].OverTwoYears)), level, out _)));

            var waitValues = allWaits[k];
            var waitCells = new Dictionary<string, WaitingCell>(StringComparer.Ordinal);
            for (int q = 0; q < 4; q++)
                waitCells[CellNames[q]] = new WaitingCell(DaysSummary.Of(waitValues[q]),
                    options.WaitThresholds.Select(t => Proportions.Wilson(waitValues[q].Count(x => x > t), waitValues[q].Count, level)).ToArray());
            var overDid = options.WaitThresholds.Select((threshold, t) => Did(name, Cells(CellNames.Select(n => waitCells[n].Over[t])), level, out _)).ToArray();
            waits.Add(new WaitingTimesResult(name, options.WaitThresholds, new ReadOnlyDictionary<string, WaitingCell>(waitCells), overDid));
        }

        var topResults = new Dictionary<string, IReadOnlyList<ProportionResult>>(StringComparer.Ordinal);
        if (top is not null)
        {
            var records = top.Records;
            foreach (var substance in TopClassifier.Substances(records))
            {
                var outcome = IndicatorNames.Top(substance);
                var statuses = Periods.Select(p => TopClassifier.Classify(records, rows, design.Study.Window(p), substance, design.Rules, design.Pairs, options)).ToArray();
                for (int w = 0; w < Periods.Length; w++) Ledger(outcome, Periods[w], statuses[w], i => records[i].SourceLine, top.Rejected);
                topResults[outcome] = design.Pairs.Select((p, k) =>
                {
                    var cells = Tally(k, statuses);
                    var did = Did(p.Name, cells, level, out var warning);
                    return new ProportionResult(p.Name, cells, did, warning is null ? [] : [warning]);
                }).ToList();
            }
        }
        return new IndicatorResult(representation, tit, waits, new ReadOnlyDictionary<string, IReadOnlyList<ProportionResult>>(topResults),
            new ExclusionLedger(entries, inputRows), new ReadOnlyDictionary<string, IReadOnlyList<RowStatus>>(classifications), level, options.Benchmark);
    }

    /// <summary>The DiD of <paramref name="cells"/>, or <c>null</c> with a warning when a cell is empty.</summary>
    private static DidResult? Did(string pair, PairCells cells, double level, out string? warning)
    {
        var empty = cells.Named().Where(x => x.Cell.N == 0).Select(x => x.Name).ToList();
        warning = empty.Count > 0 ? $"no DiD: {string.Join(", ", empty)} {(empty.Count == 1 ? "has" : "have")} n = 0" : null;
        return empty.Count > 0 ? null : DidEstimator.Estimate(pair, cells, level);
    }

    private static PairCells Cells(IEnumerable<WilsonProportion> p)
    {
        var a = p.Select(x => new Cell(x.N, x.Events)).ToArray();
        return new PairCells(a[0], a[1], a[2], a[3]);
    }

    private static PairCells Tally(int pair, RowStatus[][] statuses)
    {
        var n = new long[4]; var e = new long[4];
        for (int w = 0; w < 2; w++)
            foreach (var s in statuses[w])
                if (s.IsIncluded && s.Pair == pair)
                {
                    int q = (s.Group == Group.Pilot ? 0 : 2) + w;
                    n[q]++;
                    if (s.IsEvent) e[q]++;
                }
        return new PairCells(new Cell(n[0], e[0]), new Cell(n[1], e[1]), new Cell(n[2], e[2]), new Cell(n[3], e[3]));
    }

    /// <summary>The values of the included rows, per pair and cell (in <see cref="CellNames"/> order), in one pass per window.</summary>
    private static List<int>[][] Values(int pairs, RowStatus[][] status, int[][] values)
    {
        var cells = Enumerable.Range(0, pairs).Select(_ => new[] { new List<int>(), new List<int>(), new List<int>(), new List<int>() }).ToArray();
        for (int w = 0; w < 2; w++)
        {
            var sw = status[w];
            var vw = values[w];
            for (int i = 0; i < sw.Length; i++)
                if (sw[i].IsIncluded)
                    cells[sw[i].Pair][(sw[i].Group == Group.Pilot ? 0 : 2) + w].Add(vw[i]);
        }
        return cells;
    }
}
