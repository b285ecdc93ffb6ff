using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats;

/// <summary>One outcome of one pair: its cells, the row count behind each cell and the DiD.</summary>
/// <param name="Outcome">The outcome's contract name, for example <c>effectiveTreatment</c>.</param>
/// <param name="Cells">The four cells.</param>
/// <param name="CellRows">The input rows in each cell (equal to n for record-level outcomes; the number of quarters for aggregate counts).</param>
/// <param name="Did">The difference in differences.</param>
/// <param name="Adjusted">The covariate-adjusted logistic DiD (record-level outcomes only; <c>null</c> for aggregate counts).</param>
public sealed record OutcomeResult(string Outcome, PairCells Cells, PairCells CellRows, DidResult Did, AdjustedDid? Adjusted);

/// <summary>The results of one pair, by outcome name.</summary>
/// <param name="Name">The pair's name.</param>
/// <param name="Outcomes">The outcomes, by contract name, in a fixed order.</param>
public sealed record PairResult(string Name, IReadOnlyDictionary<string, OutcomeResult> Outcomes);

/// <summary>
/// The result of an evaluation: per pair and outcome, the cells and DiD; the exclusion ledger; and,
/// per analysis (<c>outcome/window</c>), where each input row ended.
/// </summary>
/// <param name="Pairs">The pairs, in design order.</param>
/// <param name="Exclusions">The exclusion ledger.</param>
/// <param name="Classifications">For each analysis, one <see cref="RowStatus"/> per parsed input row, in input order.</param>
public sealed record EvaluationResult(IReadOnlyList<PairResult> Pairs, ExclusionLedger Exclusions,
    IReadOnlyDictionary<string, IReadOnlyList<RowStatus>> Classifications)
{
    /// <summary>
    /// Per record-level outcome, the wild cluster bootstrap of the pooled model's common <c>pilot:post</c>
    /// (methodology §10; seed 1); empty for aggregate counts.
    /// </summary>
    public IReadOnlyDictionary<string, Inference.PooledModelTest> WildBootstrap { get; init; } = new Dictionary<string, Inference.PooledModelTest>();

    /// <summary>The pairs' results as a report-style text table per outcome, followed by the ledger.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var outcome in Pairs.SelectMany(p => p.Outcomes.Keys).Distinct())
        {
            sb.AppendLine(outcome);
            sb.AppendLine(DidTable.Format(Pairs.Where(p => p.Outcomes.ContainsKey(outcome)).Select(p => p.Outcomes[outcome].Did)));
        }
        sb.AppendLine("Exclusions");
        sb.Append(Exclusions);
        return sb.ToString();
    }
}

/// <summary>
/// Builds one pair's record-level model rows from the classifications and fits the adjusted DiD. With
/// <paramref name="clientOf"/>, the errors are cluster-robust (CR1) by client, since a client can be in both windows
/// (methodology §10).
/// </summary>
internal sealed class ModelRows(CovariateSpec covariates, Func<int, string, string?> value, Func<int, long> lineOf, Implementation implementation,
    Func<int, string>? clientOf = null)
{
    /// <param name="pair">The pair.</param>
    /// <param name="windows">Each window's statuses and the rows of this pair included in it, in input order.</param>
    /// <param name="confidenceLevel">The confidence level.</param>
    public AdjustedDid Fit(int pair, IReadOnlyList<(Period Period, IReadOnlyList<RowStatus> Status, List<int> Included)> windows, double confidenceLevel)
    {
        int n = windows.Sum(w => w.Included.Count);
        var rows = new int[n];
        var pilot = new double[n];
        var post = new double[n];
        var y = new double[n];
        int at = 0;
        foreach (var (period, status, included) in windows)
            foreach (int i in included)
            {
                var s = status[i];
                rows[at] = i;
                pilot[at] = s.Group == Group.Pilot ? 1 : 0;
                post[at] = period == Period.Post ? 1 : 0;
                y[at++] = s.IsEvent ? 1 : 0;
            }
        var data = new ModelData(n).AddNumeric("pilot", pilot).AddNumeric("post", post);
        foreach (var name in covariates.Numeric)
            data.AddNumeric(name, Array.ConvertAll(rows, r => Number(r, name)));
        foreach (var name in covariates.Categorical)
            data.AddCategorical(name, Array.ConvertAll(rows, r => value(r, name)));
        var options = new LogisticOptions { ConfidenceLevel = confidenceLevel, Implementation = implementation };
        // Cluster-robust errors need two clients at least; a pair with fewer (a degenerate model) keeps model-based errors.
        var clients = clientOf is null ? null : Array.ConvertAll(rows, r => clientOf(r));
        if (clients is not null && clients.Distinct().Skip(1).Any()) options = options with { Covariance = CovarianceType.Cluster, Clusters = clients };
        // Without covariates the rows are four patterns at most: fitted compressed, with the row-level results.
        var compressed = covariates.All.Any() || implementation == Implementation.Reference ? null : CompressedAdjustedDid.TryFit(data, y, options);
        return compressed ?? AdjustedDid.Fit(data, y, covariates.Numeric, covariates.Categorical, options);
    }

    private double Number(int row, string column)
    {
        var text = value(row, column);
        // Blank numeric covariates were set aside as data errors before classification, so a value is present here.
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v : throw new ArgumentException($"Line {lineOf(row)}, column '{column}': '{text}' is not a number, but '{column}' is a numeric covariate.");
    }
}

/// <summary>Contract names of the outcomes and analyses (the CLI's JSON keys).</summary>
public static class OutcomeNames
{
    /// <summary><c>effectiveTreatment</c> (methodology §2.1).</summary>
    public const string EffectiveTreatment = "effectiveTreatment";
    /// <summary><c>successfulCompletion</c> (methodology §2.2).</summary>
    public const string SuccessfulCompletion = "successfulCompletion";
    /// <summary><c>successfulCompletionOfCaseload</c> (methodology §2.3).</summary>
    public const string SuccessfulCompletionOfCaseload = "successfulCompletionOfCaseload";
    /// <summary><c>referralPickup</c> (methodology §3).</summary>
    public const string ReferralPickup = "referralPickup";
    /// <summary><c>aggregate</c> (methodology §4).</summary>
    public const string Aggregate = "aggregate";

    /// <summary>The contract name of a journey outcome.</summary>
    public static string Of(JourneyOutcome outcome) => outcome switch
    {
        JourneyOutcome.EffectiveTreatment => EffectiveTreatment,
        JourneyOutcome.SuccessfulCompletion => SuccessfulCompletion,
        JourneyOutcome.SuccessfulCompletionOfCaseload => SuccessfulCompletionOfCaseload,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    /// <summary>The analysis name, <c>outcome/window</c>, for example <c>effectiveTreatment/pre</c>.</summary>
    public static string Analysis(string outcome, Period period) => $"{outcome}/{(period == Period.Pre ? "pre" : "post")}";
}

/// <summary>
/// Runs the record-level and aggregate evaluations: classification in both windows, the cells, the
/// exclusion ledger, and the DiD of every pair.
/// </summary>
public static class Evaluator
{
    private static readonly Period[] Periods = [Period.Pre, Period.Post];

    /// <summary>Evaluates the three journey outcomes of methodology §2 for every pair.</summary>
    /// <param name="design">The design.</param>
    /// <param name="journeys">The journeys and any rows set aside as unparseable.</param>
    /// <param name="implementation">The classifier and model path: fast unless given, or unless <c>EVALSTATS_IMPLEMENTATION=reference</c>.</param>
    /// <param name="clusterByClient">Cluster-robust (CR1) errors by client in the adjusted models; off by default.</param>
    /// <exception cref="ArgumentException">When a pair names an area absent from the data, a covariate is not a column, or a cell has n = 0.</exception>
    public static EvaluationResult Journeys(EvaluationDesign design, RecordSet<Journey> journeys, Implementation? implementation = null, bool clusterByClient = false)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(journeys);
        return Journeys(design, JourneySet.From(journeys), implementation, clusterByClient);
    }

    /// <summary>Evaluates the three journey outcomes of methodology §2 for every pair, from journeys held as columns.</summary>
    /// <param name="design">The design.</param>
    /// <param name="journeys">The journeys as columns (for example from <c>Readers.JourneySet</c>) and any rows set aside as unparseable.</param>
    /// <param name="implementation">The classifier and model path: fast unless given, or unless <c>EVALSTATS_IMPLEMENTATION=reference</c>.</param>
    /// <param name="clusterByClient">Cluster-robust (CR1) errors by client in the adjusted models; off by default.</param>
    /// <exception cref="ArgumentException">When a pair names an area absent from the data, a covariate is not a column, or a cell has n = 0.</exception>
    public static EvaluationResult Journeys(EvaluationDesign design, JourneySet journeys, Implementation? implementation = null, bool clusterByClient = false)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(journeys);
        var table = journeys.Table;
        design.RequireAreasPresent(table.AreaNames, "journeys");
        var errors = CovariateErrors(journeys, design.Covariates);
        var outcomes = new[] { JourneyOutcome.EffectiveTreatment, JourneyOutcome.SuccessfulCompletion, JourneyOutcome.SuccessfulCompletionOfCaseload };
        var plan = outcomes.SelectMany(o => Periods.Select(p => (Outcome: o, Period: p))).ToArray();
        var path = implementation ?? LogisticOptions.DefaultImplementation;
        IReadOnlyList<RowStatus>[] statuses = path == Implementation.Fast
            ? FastJourneyClassifier.ClassifyManyCoded(table, plan.Select(a => (design.Study.Window(a.Period), a.Outcome)).ToArray(), design.Rules, design.Pairs, errors)
            : plan.Select(a => (IReadOnlyList<RowStatus>)JourneyClassifier.Classify(journeys.Records, design.Study.Window(a.Period), a.Outcome, design.Rules, design.Pairs, errors)).ToArray();
        var analyses = plan.Select((a, k) => (OutcomeNames.Of(a.Outcome), a.Period, statuses[k])).ToList();
        return Assemble(design, analyses, journeys.Rejected, journeys.Line, (_, _) => 1,
            new ModelRows(design.Covariates, journeys.Value, journeys.Line, path, clusterByClient ? journeys.ClientId : null));
    }

    /// <summary>
    /// <see cref="CovariateErrors{T}"/> for columnar journeys: a covariate that is not a column is a usage error; a blank
    /// numeric covariate (other than the journey's own <c>age</c>) is the row's data error.
    /// </summary>
    private static string?[]? CovariateErrors(JourneySet journeys, CovariateSpec covariates)
    {
        if (journeys.Count == 0 || !covariates.All.Any()) return null;
        foreach (var name in covariates.All)
            if (name != "age" && !journeys.HasCharacteristic(name))
                throw new ArgumentException($"Covariate '{name}' is not a column of the journeys.");
        var numeric = covariates.Numeric.Where(n => n != "age").Select(journeys.CharacteristicIndex).ToArray();
        if (numeric.Length == 0) return null;
        var errors = new string?[journeys.Count];
        foreach (int c in numeric)
        {
            var (codes, levels) = journeys.CharacteristicColumn(c);
            var blank = levels.Select(string.IsNullOrWhiteSpace).ToArray();
            for (int i = 0; i < codes.Length; i++)
                if (codes[i] == JourneySet.BlankCode || blank[codes[i]]) errors[i] = ExclusionReasons.BlankNumericCovariate;
        }
        return errors;
    }

    /// <summary>Evaluates prison-referral pick-ups (methodology §3) for every pair.</summary>
    /// <param name="design">The design; its <see cref="EvaluationDesign.FollowUpDays"/> is F.</param>
    /// <param name="referrals">The referrals and any rows set aside as unparseable.</param>
    /// <param name="pickups">The pick-ups.</param>
    /// <param name="implementation">The model path: fast unless given, or unless <c>EVALSTATS_IMPLEMENTATION=reference</c>.</param>
    /// <param name="clusterByClient">Cluster-robust (CR1) errors by client in the adjusted models; on by default, since a client can have several referrals.</param>
    public static EvaluationResult Referrals(EvaluationDesign design, RecordSet<Referral> referrals, IReadOnlyList<Pickup> pickups, Implementation? implementation = null,
        bool clusterByClient = true)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(referrals);
        ArgumentNullException.ThrowIfNull(pickups);
        var rows = referrals.Records;
        design.RequireAreasPresent(rows.Select(r => r.Area), "referrals");
        var errors = CovariateErrors(rows, r => r.Characteristics, design.ReferralCovariates, "referrals", intrinsic: null);
        var analyses = Periods.Select(period => (OutcomeNames.ReferralPickup, period,
            (IReadOnlyList<RowStatus>)ReferralClassifier.Classify(rows, pickups, design.Study.Window(period), design.FollowUpDays, design.Pairs, errors))).ToList();
        return Assemble(design, analyses, referrals.Rejected, i => rows[i].SourceLine, (_, _) => 1,
            new ModelRows(design.ReferralCovariates, (i, column) => rows[i].Characteristics[column], i => rows[i].SourceLine, implementation ?? LogisticOptions.DefaultImplementation,
                clusterByClient ? i => rows[i].ClientId : null));
    }

    /// <summary>Evaluates quarterly aggregate counts (methodology §4): sums the quarters wholly inside each window.</summary>
    /// <param name="design">The design.</param>
    /// <param name="counts">The quarterly rows and any rows set aside as unparseable.</param>
    public static EvaluationResult Aggregate(EvaluationDesign design, RecordSet<QuarterlyCount> counts)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(counts);
        var rows = counts.Records;
        design.RequireAreasPresent(rows.Select(r => r.Area), "counts");
        var analyses = Periods.Select(period => (OutcomeNames.Aggregate, period,
            (IReadOnlyList<RowStatus>)QuarterlyClassifier.Classify(rows, design.Study.Window(period), design.Pairs))).ToList();
        return Assemble(design, analyses, counts.Rejected, i => rows[i].SourceLine,
            (i, events) => events ? rows[i].Successes : rows[i].Count, null);
    }

    /// <summary>
    /// Data errors from covariates: a blank numeric covariate. A covariate that is not a column at all
    /// is a usage error. <paramref name="intrinsic"/> (a journey's <c>age</c>) is a field of the record itself, checked by the classifier.
    /// </summary>
    internal static string?[]? CovariateErrors<T>(IReadOnlyList<T> rows, Func<T, IReadOnlyDictionary<string, string?>> characteristics,
        CovariateSpec covariates, string dataName, string? intrinsic)
    {
        if (rows.Count == 0 || !covariates.All.Any()) return null;
        foreach (var name in covariates.All)
            if (name != intrinsic && !characteristics(rows[0]).ContainsKey(name))
                throw new ArgumentException($"Covariate '{name}' is not a column of the {dataName}.");
        var numeric = covariates.Numeric.Where(n => n != intrinsic).ToArray();
        if (numeric.Length == 0) return null;
        var errors = new string?[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var c = characteristics(rows[i]);
            if (numeric.Any(n => string.IsNullOrWhiteSpace(c[n]))) errors[i] = ExclusionReasons.BlankNumericCovariate;
        }
        return errors;
    }

    // Builds cells, ledger and DiD from the per-analysis classifications. `weight(i, events)` is what row i
    // adds to a cell's n (events = false) or events (events = true) when it is included and, for events, is an event.
    internal static EvaluationResult Assemble(EvaluationDesign design, List<(string Outcome, Period Period, IReadOnlyList<RowStatus> Status)> analyses,
        IReadOnlyList<RejectedRow> rejected, Func<int, long> lineOf, Func<int, bool, long> weight, ModelRows? model)
    {
        bool aggregate = analyses[0].Outcome == OutcomeNames.Aggregate;
        var entries = new List<ExclusionEntry>();
        var inputRows = new Dictionary<string, long>(StringComparer.Ordinal);
        var classifications = new Dictionary<string, IReadOnlyList<RowStatus>>(StringComparer.Ordinal);
        // n, events and rows per outcome, pair, group, period
        var tallies = new Dictionary<string, long[,,,]>(StringComparer.Ordinal);
        // Per analysis and pair, the included rows (for the adjusted models), gathered in the one pass over the statuses.
        var included = new List<List<int>[]>();
        foreach (var (outcome, period, status) in analyses)
        {
            var rowsOf = Enumerable.Range(0, design.Pairs.Count).Select(_ => new List<int>()).ToArray();
            included.Add(rowsOf);
            var name = OutcomeNames.Analysis(outcome, period);
            ExclusionLedger.Tally(name, status, lineOf, rejected, entries, inputRows);
            classifications[name] = status is RowStatus[] array ? Array.AsReadOnly(array) : status;
            if (!tallies.TryGetValue(outcome, out var t)) tallies[outcome] = t = new long[design.Pairs.Count, 2, 2, 3];
            // The classification's one byte a row, when it has them: only included rows (codes 0 and 1) are decoded.
            var coded = status as CodedStatuses;
            var codes = coded is null ? default : coded.Codes;
            int p = (int)period;
            for (int i = 0; i < status.Count; i++)
            {
                int pair, g;
                bool isEvent;
                if (coded is not null)
                {
                    if (codes[i] > 1) continue;
                    var (cellPair, group) = coded.CellOf(i);
                    (pair, g, isEvent) = (cellPair, (int)group, codes[i] == 1);
                }
                else
                {
                    var s = status[i];
                    if (!s.IsIncluded) continue;
                    (pair, g, isEvent) = (s.Pair, (int)s.Group, s.IsEvent);
                }
                if (model is not null) rowsOf[pair].Add(i);
                try
                {
                    // Counts are 64-bit and every sum of them is checked (methodology §9): an overflow stops, never wraps.
                    checked
                    {
                        t[pair, g, p, 0] += weight(i, false);
                        t[pair, g, p, 1] += aggregate ? weight(i, true) : (isEvent ? 1 : 0);
                        t[pair, g, p, 2] += 1;
                    }
                }
                catch (OverflowException)
                {
                    throw new ArgumentException($"the counts of pair '{design.Pairs[pair].Name}' ({outcome}, {period}) add up to more than a 64-bit " +
                                                $"whole number can hold ({long.MaxValue:N0}); the sum stops at line {lineOf(i)}");
                }
            }
        }

        var pairs = new List<PairResult>();
        for (int k = 0; k < design.Pairs.Count; k++)
        {
            var byOutcome = new Dictionary<string, OutcomeResult>(StringComparer.Ordinal);
            foreach (var (outcome, t) in tallies)
            {
                Cell C(Group g, Period p, bool rowsOnly = false) => rowsOnly
                    ? new Cell(t[k, (int)g, (int)p, 2], 0)
                    : new Cell(t[k, (int)g, (int)p, 0], t[k, (int)g, (int)p, 1]);
                var cells = new PairCells(C(Group.Pilot, Period.Pre), C(Group.Pilot, Period.Post), C(Group.Comparison, Period.Pre), C(Group.Comparison, Period.Post));
                var cellRows = new PairCells(C(Group.Pilot, Period.Pre, true), C(Group.Pilot, Period.Post, true), C(Group.Comparison, Period.Pre, true), C(Group.Comparison, Period.Post, true));
                var did = DidEstimator.Estimate(design.Pairs[k].Name, cells, design.ConfidenceLevel);
                var adjusted = model is null ? null
                    : model.Fit(k, analyses.Select((a, q) => (a, q)).Where(x => x.a.Outcome == outcome).Select(x => (x.a.Period, x.a.Status, included[x.q][k])).ToList(), design.ConfidenceLevel);
                byOutcome[outcome] = new OutcomeResult(outcome, cells, cellRows, did, adjusted);
            }
            pairs.Add(new PairResult(design.Pairs[k].Name, new ReadOnlyDictionary<string, OutcomeResult>(byOutcome)));
        }
        var wild = model is null ? new Dictionary<string, Inference.PooledModelTest>() : tallies.Keys.ToDictionary(o => o,
            o => Inference.PooledModel.Test(analyses.Where(a => a.Outcome == o).Select(a => (a.Period, a.Status)).ToList(), seed: 1));
        return new EvaluationResult(pairs, new ExclusionLedger(entries, inputRows), new ReadOnlyDictionary<string, IReadOnlyList<RowStatus>>(classifications))
            { WildBootstrap = new ReadOnlyDictionary<string, Inference.PooledModelTest>(wild) };
    }
}
