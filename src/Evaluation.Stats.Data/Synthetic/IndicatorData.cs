using System.Globalization;
using System.Text;
using Evaluation.Stats.Indicators;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Data.Synthetic;

/// <summary>
/// A synthetic data set for the national indicators (methodology §13), deterministic by seed and drawn from its own
/// random stream, so that the journeys of <see cref="SyntheticData.Generate"/> (and every output pinned on them) stay
/// as they were. Same design and areas as the demo; each pilot has a known true effect on re-presentation, waits and
/// TOP abstinence (see <see cref="IndicatorData.Generate"/>).
/// </summary>
/// <param name="Design">The demo's design.</param>
/// <param name="Journeys">Journeys with referral and first-intervention dates.</param>
/// <param name="Top">TOP interviews (start, review, exit) with days of use of each of <see cref="IndicatorData.Substances"/>.</param>
/// <param name="TrueEffects">Each pair's true pilot×post effect, as in <see cref="SyntheticData.PairEffects"/>.</param>
/// <param name="MeanWait">The mean of the continuous wait (days) behind each area's waits, by area and period.</param>
/// <param name="AbstinenceProbability">The probability of abstinence at review among users at start, by area, period and substance.</param>
public sealed record IndicatorDataSet(EvaluationDesign Design, IReadOnlyList<Journey> Journeys, IReadOnlyList<TopRecord> Top,
    IReadOnlyDictionary<string, double> TrueEffects, IReadOnlyDictionary<(string Area, Period Period), double> MeanWait,
    IReadOnlyDictionary<(string Area, Period Period, string Substance), double> AbstinenceProbability)
{
    /// <summary>
    /// The true DiD of the share waiting over <paramref name="threshold"/> days: waits are whole days of an exponential
    /// wait with mean μ, so P(wait &gt; t) = exp(−(t + 1)/μ) in each cell.
    /// </summary>
    public double TrueWaitDid(AreaPair pair, int threshold)
    {
        ArgumentNullException.ThrowIfNull(pair);
        double P(string area, Period p) => Math.Exp(-(threshold + 1) / MeanWait[(area, p)]);
        string a = pair.PilotAreas[0], c = pair.ComparisonAreas[0];
        return P(a, Period.Post) - P(a, Period.Pre) - (P(c, Period.Post) - P(c, Period.Pre));
    }

    /// <summary>The true DiD of abstinence from <paramref name="substance"/> at review, among users at start.</summary>
    public double TrueTopDid(AreaPair pair, string substance)
    {
        ArgumentNullException.ThrowIfNull(pair);
        double P(string area, Period p) => AbstinenceProbability[(area, p, substance)];
        string a = pair.PilotAreas[0], c = pair.ComparisonAreas[0];
        return P(a, Period.Post) - P(a, Period.Pre) - (P(c, Period.Post) - P(c, Period.Pre));
    }

    /// <summary>Writes <c>indicator_journeys.csv</c> (the journey columns, the waiting dates and the covariates) and <c>top.csv</c>; returns the paths.</summary>
    public IReadOnlyList<string> WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        var journeys = Path.Combine(directory, "indicator_journeys.csv");
        var top = Path.Combine(directory, "top.csv");
        var sb = new StringBuilder();
        var extra = Journeys.Count > 0 ? Journeys[0].Characteristics.Keys.ToArray() : [];
        sb.Append(string.Join(',', Readers.JourneyColumns.Concat(Readers.OptionalJourneyColumns).Concat(extra))).Append('\n');
        foreach (var j in Journeys)
            sb.Append(string.Join(',', new[] { j.ClientId, j.Area, D(j.Start), D(j.End), I(j.ExitReason), I(j.Age), D(j.ReferralDate), D(j.FirstInterventionDate) }
                .Concat(extra.Select(k => j.Characteristics[k])))).Append('\n');
        File.WriteAllText(journeys, sb.ToString(), new UTF8Encoding(false));
        sb.Clear().Append(string.Join(',', TopReader.TopColumns.Concat(IndicatorData.Substances))).Append('\n');
        foreach (var t in Top)
            sb.Append(string.Join(',', new[] { t.ClientId, D(t.ReviewDate), t.ReviewType.ToString().ToLowerInvariant() }
                .Concat(IndicatorData.Substances.Select(s => I(t.DaysOfUse[s]))))).Append('\n');
        File.WriteAllText(top, sb.ToString(), new UTF8Encoding(false));
        return [journeys, top];
    }

    private static string? D(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string? I(int? i) => i?.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Generates <see cref="IndicatorDataSet"/>s.</summary>
public static class IndicatorData
{
    /// <summary>The seed of the indicator data set that <c>evalstats demo</c> uses.</summary>
    public const int DemoSeed = 20110401;

    /// <summary>The TOP substance columns: <c>opiates</c>, <c>crack</c>, <c>alcohol</c>, <c>cannabis</c>.</summary>
    public static readonly IReadOnlyList<string> Substances = ["opiates", "crack", "alcohol", "cannabis"];

    private static readonly double[] UseAtStart = [0.7, 0.4, 0.4, 0.3];
    private static readonly double[] AbstinenceBase = [-0.6, 0.0, -0.3, -0.2];
    private static readonly DateOnly ExtractDate = SyntheticData.ExtractDate;
    private static readonly int[] CompletedCodes = SyntheticData.CompletedCodes;
    private static readonly int[] OtherExitCodes = SyntheticData.OtherExitCodes;

    /// <summary>Generates an indicator data set. Same seed and scale, same data.</summary>
    /// <param name="seed">The random seed.</param>
    /// <param name="clientsPerArea">Clients per area (1,000 gives about 20,000 journeys).</param>
    /// <remarks>
    /// The mechanisms and their true effects, per pilot area in the post window (a start on or after the post window's
    /// first day), with the pair's effect β of <see cref="SyntheticData.PairEffects"/>:
    /// <list type="bullet">
    /// <item>completion: a journey started up to 270 days before the post window or later completes with log-odds raised by β;</item>
    /// <item>re-presentation: after a completed journey the client starts again within a year with log-odds −0.4 + area,
    /// lowered by 2β when the completion ends in or after the post window, after 1 to 365 days (uniform); otherwise any
    /// later journey comes at least 400 days later;</item>
    /// <item>waits: the referral is the journey's start and the first intervention follows after ⌊X⌋ days, X exponential
    /// with mean μ = 20·e^(area)·0.95^post·e^(−β·pilot·post), post meaning a start in the post window (<see cref="IndicatorDataSet.MeanWait"/>); 4% of journeys
    /// lack a date and 0.3% have the intervention before the referral;</item>
    /// <item>time in treatment: a quarter of clients are in long-term (maintenance) treatment lasting years;</item>
    /// <item>TOP: 90% of journeys have a start TOP within 14 days of the start and then a review or exit 20 to 220 days
    /// later; a user at start is abstinent at review with probability logistic(base + area + 0.1·post + β·pilot·post)
    /// (<see cref="IndicatorDataSet.AbstinenceProbability"/>), 2% of values are blank, 0.2% of rows have days over 28,
    /// and a few rows name clients with no journey.</item>
    /// </list>
    /// </remarks>
    public static IndicatorDataSet Generate(int seed = DemoSeed, int clientsPerArea = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clientsPerArea, 1);
        var rng = new Random(seed);
        var design = SyntheticData.DemoDesign();
        var areas = new List<(string Area, int Pair, bool Pilot)>();
        for (int k = 0; k < 6; k++) { areas.Add(($"P{k + 1}", k, true)); areas.Add(($"C{k + 1}", k, false)); }
        areas.Add(("X9", -1, false));
        var schema = new ColumnSchema(["sex", "ethnicity", "pdu", "cj_referral"]);
        var journeys = new List<Journey>();
        var top = new List<TopRecord>();
        var meanWait = new Dictionary<(string, Period), double>();
        var abstinence = new Dictionary<(string, Period, string), double>();
        foreach (var (area, pair, pilot) in areas)
        {
            double areaBase = rng.NextDouble() * 0.6 - 0.3, waitBase = rng.NextDouble() * 0.6 - 0.3, topBase = rng.NextDouble() * 0.6 - 0.3;
            double effect = pair >= 0 && pilot ? SyntheticData.PairEffects[pair] : 0;
            var mu = new[] { 20 * Math.Exp(waitBase), 20 * Math.Exp(waitBase) * 0.95 * Math.Exp(-effect) };
            var abst = Substances.Select((_, s) => new[] { AbstinenceBase[s] + topBase, AbstinenceBase[s] + topBase + 0.1 + effect }.Select(SyntheticData.Logistic).ToArray()).ToArray();
            foreach (var p in new[] { Period.Pre, Period.Post })
            {
                meanWait[(area, p)] = mu[(int)p];
                for (int s = 0; s < Substances.Count; s++) abstinence[(area, p, Substances[s])] = abst[s][(int)p];
            }
            int clients = area == "X9" ? clientsPerArea / 10 : clientsPerArea;
            for (int c = 0; c < clients; c++)
                AddClient(rng, journeys, top, $"{area}-{c:00000}", area, areaBase, effect, mu, abst, schema);
        }
        for (int i = 0; i < Math.Max(1, clientsPerArea / 100); i++)
            top.Add(new TopRecord($"Z-{i:00000}", SyntheticData.Day(rng, new DateOnly(2007, 10, 1), new DateOnly(2011, 3, 31)), TopReviewType.Start)
            { DaysOfUse = Substances.ToDictionary(s => s, _ => (int?)rng.Next(29)).AsReadOnly() });
        journeys = journeys.Select((j, i) => j with { SourceLine = i + 2 }).ToList();
        top = top.Select((t, i) => t with { SourceLine = i + 2 }).ToList();
        var trueEffects = design.Pairs.Select((p, k) => (p.Name, SyntheticData.PairEffects[k])).ToDictionary(x => x.Name, x => x.Item2);
        return new IndicatorDataSet(design, journeys, top, trueEffects, meanWait.AsReadOnly(), abstinence.AsReadOnly());
    }

    private static double Exponential(Random rng, double mean) => -Math.Log(1 - rng.NextDouble()) * mean;

    private static void AddClient(Random rng, List<Journey> journeys, List<TopRecord> top, string clientId, string area, double areaBase, double effect,
        double[] mu, double[][] abstinence, ColumnSchema schema)
    {
        var (values, _, pdu, _, baseAge) = SyntheticData.Client(rng, schema);
        bool maintenance = rng.NextDouble() < 0.25;
        var postStart = StudyDesign.Dscp.Post.Start;
        var start = SyntheticData.Day(rng, new DateOnly(2004, 1, 1), new DateOnly(2011, 3, 31));
        for (int k = 0; k < 5 && start <= new DateOnly(2011, 3, 31); k++)
        {
            // Completion: journeys still running in the post window (started up to 270 days before it) have the pilot's effect.
            bool post = start >= postStart.AddDays(-270);
            double eta = -0.3 + areaBase + (post ? 0.1 + effect : 0) - 0.01 * (baseAge - 35) + (pdu == "Y" ? -0.3 : 0);
            bool completes = rng.NextDouble() < SyntheticData.Logistic(eta);
            int length = maintenance && k == 0 ? 200 + (int)Exponential(rng, 1400)
                : completes ? 90 + (int)Exponential(rng, 220) : 5 + (int)Exponential(rng, 150);
            DateOnly? end = start.AddDays(length);
            int? exit = completes ? CompletedCodes[rng.Next(CompletedCodes.Length)] : OtherExitCodes[rng.Next(OtherExitCodes.Length)];
            if (end > ExtractDate) { end = null; exit = null; }
            int age = baseAge + (start.DayNumber - new DateOnly(2004, 1, 1).DayNumber) / 365;

            // Waits: referral on the start day, first intervention ⌊X⌋ days later; some missing or reversed dates.
            DateOnly? referral = start, first = start.AddDays((int)Exponential(rng, mu[start >= postStart ? 1 : 0]));
            double flaw = rng.NextDouble();
            if (flaw < 0.02) referral = null;
            else if (flaw < 0.04) first = null;
            else if (flaw < 0.043) first = start.AddDays(-1 - rng.Next(10));
            journeys.Add(new Journey(clientId, area, start, end, exit, age) { Characteristics = values, ReferralDate = referral, FirstInterventionDate = first });

            // TOP: a start TOP soon after the start, then a review (or an exit TOP when the journey has ended by then).
            if (rng.NextDouble() < 0.9)
            {
                var startTop = start.AddDays(rng.Next(15));
                bool topPost = startTop >= postStart;
                var startDays = new Dictionary<string, int?>();
                var reviewDays = new Dictionary<string, int?>();
                for (int s = 0; s < Substances.Count; s++)
                {
                    bool user = rng.NextDouble() < UseAtStart[s];
                    startDays[Substances[s]] = rng.NextDouble() < 0.02 ? null : user ? 1 + rng.Next(28) : 0;
                    bool abstinent = !user ? rng.NextDouble() < 0.9 : rng.NextDouble() < abstinence[s][topPost ? 1 : 0];
                    reviewDays[Substances[s]] = rng.NextDouble() < 0.02 ? null : abstinent ? 0 : 1 + rng.Next(28);
                }
                if (rng.NextDouble() < 0.002) startDays[Substances[0]] = 29 + rng.Next(5);
                top.Add(new TopRecord(clientId, startTop, TopReviewType.Start) { DaysOfUse = startDays.AsReadOnly() });
                var reviewDate = startTop.AddDays(20 + rng.Next(201));
                if (reviewDate <= ExtractDate)
                    top.Add(new TopRecord(clientId, reviewDate, end is DateOnly e && e <= reviewDate ? TopReviewType.Exit : TopReviewType.Review) { DaysOfUse = reviewDays.AsReadOnly() });
            }

            // The next journey: a re-presentation within a year after a completion, with the pilot's effect; otherwise later.
            var from = end ?? start.AddDays(length);
            bool represents = completes && rng.NextDouble() < SyntheticData.Logistic(-0.4 + areaBase - (from >= postStart ? 2 * effect : 0));
            if (represents) start = from.AddDays(1 + rng.Next(365));
            else if (rng.NextDouble() < 0.4) start = from.AddDays(400 + rng.Next(400));
            else break;
        }
    }
}
