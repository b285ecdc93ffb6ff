using System.Globalization;
using System.Text;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Data.Synthetic;

/// <summary>
/// A synthetic evaluation data set, deterministic by seed, shaped like the DSCP's: six pilot and comparison
/// pairs with different true effects, the DSCP windows, and the messiness of real extracts (see <see cref="SyntheticData.Generate"/>).
/// </summary>
/// <param name="Design">The design, with the report's covariate lists.</param>
/// <param name="Journeys">Treatment journeys.</param>
/// <param name="Referrals">Prison referrals.</param>
/// <param name="Pickups">Community pick-ups of those referrals.</param>
/// <param name="QuarterlyCounts">Quarterly referral and triage counts per area.</param>
/// <param name="TrueEffects">The true pilot×post effect of each pair on the log-odds scale, by pair name.</param>
public sealed record SyntheticDataSet(EvaluationDesign Design, IReadOnlyList<Journey> Journeys, IReadOnlyList<Referral> Referrals,
    IReadOnlyList<Pickup> Pickups, IReadOnlyList<QuarterlyCount> QuarterlyCounts, IReadOnlyDictionary<string, double> TrueEffects)
{
    /// <summary>The name of the quarterly count column, <c>referred</c>.</summary>
    public const string CountColumn = "referred";

    /// <summary>The name of the quarterly success column, <c>triaged_6wk</c>.</summary>
    public const string SuccessColumn = "triaged_6wk";

    /// <summary>
    /// Writes <c>journeys.csv</c>, <c>referrals.csv</c>, <c>pickups.csv</c>, <c>quarterly.csv</c> and <c>design.json</c>
    /// to <paramref name="directory"/>, creating it if needed. Returns the paths written.
    /// </summary>
    public IReadOnlyList<string> WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        string Write(string name, string text)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, text, new UTF8Encoding(false));
            written.Add(path);
            return path;
        }
        Write("journeys.csv", ToCsv(Readers.JourneyColumns.Concat(CharacteristicNames(Journeys.Select(j => j.Characteristics))),
            Journeys.Select(j => new[] { j.ClientId, j.Area, D(j.Start), D(j.End), I(j.ExitReason), I(j.Age) }
                .Concat(j.Characteristics.Values))));
        Write("referrals.csv", ToCsv(Readers.ReferralColumns.Concat(CharacteristicNames(Referrals.Select(r => r.Characteristics))),
            Referrals.Select(r => new[] { r.ReferralId, r.ClientId, r.Area, r.CjitArea, r.Prison, D(r.PrisonLeavingDate) }
                .Concat(r.Characteristics.Values))));
        Write("pickups.csv", ToCsv(Readers.PickupColumns, Pickups.Select(p => new[] { p.ClientId, p.Prison, D(p.CarePlanDate) })));
        Write("quarterly.csv", ToCsv(["area", "quarter_start", CountColumn, SuccessColumn],
            QuarterlyCounts.Select(q => new[] { q.Area, D(q.QuarterStart), q.Count.ToString(CultureInfo.InvariantCulture), q.Successes.ToString(CultureInfo.InvariantCulture) })));
        Write("design.json", DesignFile.ToJson(Design));
        return written;
    }

    private static IEnumerable<string> CharacteristicNames(IEnumerable<IReadOnlyDictionary<string, string?>> rows) =>
        rows.FirstOrDefault()?.Keys ?? [];

    private static string? D(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string? I(int? i) => i?.ToString(CultureInfo.InvariantCulture);

    private static string ToCsv(IEnumerable<string> header, IEnumerable<IEnumerable<string?>> rows)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', header.Select(Escape))).Append('\n');
        foreach (var row in rows) sb.Append(string.Join(',', row.Select(Escape))).Append('\n');
        return sb.ToString();
    }

    private static string Escape(string? s) =>
        s is null ? "" : s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}

/// <summary>Generates <see cref="SyntheticDataSet"/>s.</summary>
public static class SyntheticData
{
    /// <summary>The seed of the data set that <c>evalstats demo</c> uses.</summary>
    public const int DemoSeed = 20110331;

    /// <summary>The true pilot×post effect of each pair on the log-odds scale: none, small, moderate, large, negative, moderate.</summary>
    public static readonly IReadOnlyList<double> PairEffects = [0.0, 0.10, 0.25, 0.45, -0.20, 0.30];

    internal static readonly DateOnly ExtractDate = new(2011, 6, 30);
    internal static readonly int[] CompletedCodes = [1, 2, 80, 81, 82];
    internal static readonly int[] OtherExitCodes = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
    private static readonly string[] Ethnicities = ["White", "Black", "Asian", "Mixed", "Other"];

    /// <summary>
    /// Generates a data set. Same seed and scale, same data.
    /// </summary>
    /// <param name="seed">The random seed.</param>
    /// <param name="clientsPerArea">Clients per area for the journeys (referrals scale with it). 1,000 (the default) gives about 17,000 journeys and 12,000 referrals.</param>
    /// <remarks>
    /// What it holds, so that every rule and ledger reason is exercised:
    /// <list type="bullet">
    /// <item>six pairs (areas P1–P6 against C1–C6) with the true effects <see cref="PairEffects"/>, and a seventh area X9 in no pair;</item>
    /// <item>one to four journeys per client, some ongoing with a blank end, some starting after the extract date's windows;</item>
    /// <item>clients under 18, blanks in the categorical covariates (never in age or sex), a few journeys with an end before the start or an exit reason without an end date;</item>
    /// <item>referrals to teams in other areas, from non-pilot prisons in the pilot areas, and pick-ups on the wrong day (after 42 days) or from the wrong prison;</item>
    /// <item>quarterly counts on a December–February quarter grid, so that a quarter straddles each window edge.</item>
    /// </list>
    /// </remarks>
    public static SyntheticDataSet Generate(int seed = DemoSeed, int clientsPerArea = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clientsPerArea, 1);
        var rng = new Random(seed);
        var design = DemoDesign();
        var pairs = design.Pairs;
        var areas = new List<(string Area, int Pair, bool Pilot)>();
        for (int k = 0; k < 6; k++) { areas.Add(($"P{k + 1}", k, true)); areas.Add(($"C{k + 1}", k, false)); }
        areas.Add(("X9", -1, false));

        var journeys = new List<Journey>();
        var referrals = new List<Referral>();
        var pickups = new List<Pickup>();
        var counts = new List<QuarterlyCount>();
        var journeySchema = new ColumnSchema(["sex", "ethnicity", "pdu", "cj_referral"]);
        var referralSchema = new ColumnSchema(["age", "sex", "no_fixed_abode"]);
        foreach (var (area, pair, pilot) in areas)
        {
            double areaBase = rng.NextDouble() * 0.6 - 0.3;
            double effect = pair >= 0 && pilot ? PairEffects[pair] : 0;
            int clients = area == "X9" ? clientsPerArea / 10 : clientsPerArea;
            for (int c = 0; c < clients; c++)
                AddClient(rng, journeys, $"{area}-{c:00000}", area, areaBase, effect, journeySchema);
            AddReferrals(rng, referrals, pickups, area, pilot, areaBase, effect, clientsPerArea, referralSchema);
            AddQuarters(rng, counts, area, areaBase, effect);
        }
        // Line numbers as in the CSVs that WriteTo writes (line 1 is the header).
        journeys = journeys.Select((j, i) => j with { SourceLine = i + 2 }).ToList();
        referrals = referrals.Select((r, i) => r with { SourceLine = i + 2 }).ToList();
        pickups = pickups.Select((p, i) => p with { SourceLine = i + 2 }).ToList();
        counts = counts.Select((q, i) => q with { SourceLine = i + 2 }).ToList();
        var trueEffects = pairs.Select((p, k) => (p.Name, PairEffects[k])).ToDictionary(x => x.Name, x => x.Item2);
        return new SyntheticDataSet(design, journeys, referrals, pickups, counts, trueEffects);
    }

    /// <summary>The demo's design: the DSCP windows, six pairs P1–P6 against C1–C6 with two pilot prisons each, the report's covariates.</summary>
    internal static EvaluationDesign DemoDesign() =>
        new(StudyDesign.Dscp, Enumerable.Range(1, 6).Select(k => new AreaPair($"site {k}", [$"P{k}"], [$"C{k}"], [$"P{k}-HMP1", $"P{k}-HMP2"])))
        {
            Covariates = new CovariateSpec(["age"], ["sex", "ethnicity", "pdu", "cj_referral"]),
            ReferralCovariates = new CovariateSpec(["age"], ["sex", "no_fixed_abode"]),
        };

    internal static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    internal static DateOnly Day(Random rng, DateOnly from, DateOnly to) => from.AddDays(rng.Next(to.DayNumber - from.DayNumber + 1));

    private static void AddClient(Random rng, List<Journey> into, string clientId, string area, double areaBase, double effect, ColumnSchema schema)
    {
        var (values, sex, pdu, cj, baseAge) = Client(rng, schema);

        int nJourneys = 1 + (rng.NextDouble() < 0.35 ? 1 : 0) + (rng.NextDouble() < 0.12 ? 1 : 0) + (rng.NextDouble() < 0.04 ? 1 : 0);
        var start = Day(rng, new DateOnly(2006, 1, 1), new DateOnly(2011, 3, 31));
        for (int j = 0; j < nJourneys && start <= new DateOnly(2011, 3, 31); j++)
        {
            bool post = start >= StudyDesign.Dscp.Post.Start.AddDays(-120);
            double eta = -0.4 + areaBase + (post ? 0.15 : 0) + (post ? effect : 0)
                - 0.01 * (baseAge - 35) + (sex == "F" ? 0.1 : 0) + (pdu == "Y" ? -0.35 : 0) + (cj == "Y" ? -0.2 : 0);
            bool completes = rng.NextDouble() < Logistic(eta);
            bool retained = rng.NextDouble() < Logistic(eta + 1.2);
            int length = completes ? 90 + (int)(-Math.Log(1 - rng.NextDouble()) * 200)
                : retained ? 83 + (int)(-Math.Log(1 - rng.NextDouble()) * 250) : 5 + rng.Next(78);
            DateOnly? end = start.AddDays(length);
            int? exit = completes ? CompletedCodes[rng.Next(CompletedCodes.Length)] : OtherExitCodes[rng.Next(OtherExitCodes.Length)];
            if (end > ExtractDate || rng.NextDouble() < 0.01) { end = null; exit = null; } // ongoing, or end not recorded
            int age = baseAge + (start.DayNumber - new DateOnly(2006, 1, 1).DayNumber) / 365;
            double flaw = rng.NextDouble();
            if (flaw < 0.002 && end is DateOnly e1) end = start.AddDays(-1 - rng.Next(30));            // end before start
            else if (flaw < 0.004 && end is null) exit = OtherExitCodes[rng.Next(OtherExitCodes.Length)]; // exit reason, no end
            into.Add(new Journey(clientId, area, start, end, exit, age) { Characteristics = values });
            start = (end ?? start.AddDays(length)).AddDays(10 + rng.Next(300));
        }
    }

    /// <summary>A client's characteristics (sex, ethnicity, pdu, cj_referral, with blanks) and base age, drawn in a fixed order.</summary>
    internal static (CharacteristicValues Values, string Sex, string? Pdu, string? Cj, int BaseAge) Client(Random rng, ColumnSchema schema)
    {
        string sex = rng.NextDouble() < 0.72 ? "M" : "F";
        string? ethnicity = rng.NextDouble() < 0.08 ? null : Ethnicities[rng.NextDouble() < 0.8 ? 0 : 1 + rng.Next(4)];
        string? pdu = rng.NextDouble() < 0.05 ? null : rng.NextDouble() < 0.6 ? "Y" : "N";
        string? cj = rng.NextDouble() < 0.10 ? null : rng.NextDouble() < 0.35 ? "Y" : "N";
        int baseAge = rng.NextDouble() < 0.04 ? 15 + rng.Next(3) : 18 + (int)(Math.Abs(rng.NextDouble() + rng.NextDouble() - 1) * 30) + rng.Next(8);
        return (new CharacteristicValues(schema, [sex, ethnicity, pdu, cj]), sex, pdu, cj, baseAge);
    }

    private static void AddReferrals(Random rng, List<Referral> referrals, List<Pickup> pickups, string area, bool pilot,
        double areaBase, double effect, int scale, ColumnSchema schema)
    {
        int n = area == "X9" ? scale / 10 : scale;
        for (int i = 0; i < n; i++)
        {
            string client = $"{area}-R{i:00000}";
            var leaving = Day(rng, new DateOnly(2007, 6, 1), new DateOnly(2011, 3, 31));
            string prison = pilot ? $"{area}-HMP{(rng.NextDouble() < 0.8 ? 1 + rng.Next(2) : 3)}" : $"{area}-HMP{1 + rng.Next(3)}";
            string cjit = rng.NextDouble() < 0.08 ? (area == "X9" ? "C1" : "X9") : area;
            int age = 18 + rng.Next(40);
            string sex = rng.NextDouble() < 0.85 ? "M" : "F";
            string? nfa = rng.NextDouble() < 0.1 ? null : rng.NextDouble() < 0.2 ? "Y" : "N";
            bool post = leaving >= StudyDesign.Dscp.Post.Start;
            double eta = 0.2 + areaBase + (post ? 0.1 : 0) + (post ? effect : 0) - 0.01 * (age - 35) + (nfa == "Y" ? -0.5 : 0);
            referrals.Add(new Referral($"{area}-{i:000000}", client, area, cjit, prison, leaving)
            {
                Characteristics = new CharacteristicValues(schema, [age.ToString(CultureInfo.InvariantCulture), sex, nfa]),
            });
            if (rng.NextDouble() < Logistic(eta))
                pickups.Add(new Pickup(client, prison, leaving.AddDays(rng.Next(43)))); // day 0 to 42 inclusive
            else if (rng.NextDouble() < 0.15)
                pickups.Add(rng.NextDouble() < 0.5
                    ? new Pickup(client, prison, leaving.AddDays(43 + rng.Next(60)))      // too late
                    : new Pickup(client, prison + "X", leaving.AddDays(rng.Next(43))));  // wrong prison
        }
    }

    private static void AddQuarters(Random rng, List<QuarterlyCount> counts, string area, double areaBase, double effect)
    {
        for (var q = new DateOnly(2007, 9, 1); q <= new DateOnly(2011, 3, 1); q = q.AddMonths(3))
        {
            bool post = q >= new DateOnly(2009, 10, 1);
            int referred = 60 + rng.Next(50) + (post ? 10 : 0);
            double p = Logistic(0.8 + areaBase + (post ? effect : 0));
            int triaged = 0;
            for (int i = 0; i < referred; i++) if (rng.NextDouble() < p) triaged++;
            counts.Add(new QuarterlyCount(area, q, referred, triaged));
        }
    }
}
