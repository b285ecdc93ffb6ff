using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Evaluation.Stats.Data;
using Evaluation.Stats.Inference;

namespace Evaluation.Stats.Tool.Commands;

/// <summary>
/// <c>evalstats power --cells FILE [--power 0.8] [--alpha 0.05] [--icc X --cluster-size M] [--effect D] [--json]</c>
/// (docs/cli.md): per pair, SE₀, the MDE and the power for an effect, from the cells' sizes and rates.
/// </summary>
internal static class PowerCommand
{
    public static Command Create(TextWriter stdout)
    {
        var cells = new Option<string>("--cells") { Description = "A CSV of cells: pair, group (pilot|comparison), period (pre|post), n, events (the did --cells layout).", Required = true };
        var power = new Option<double>("--power") { Description = "The target power for the MDE, in (0, 1).", DefaultValueFactory = _ => 0.8 };
        var alpha = new Option<double>("--alpha") { Description = "The two-sided significance level, in (0, 1).", DefaultValueFactory = _ => 0.05 };
        var icc = new Option<double?>("--icc") { Description = "The intra-cluster correlation, in [0, 1) (with --cluster-size)." };
        var clusterSize = new Option<double?>("--cluster-size") { Description = "The mean cluster size m, at least 1 (with --icc)." };
        var effect = new Option<double?>("--effect") { Description = "An effect (a risk difference, as a fraction) whose power to report." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object to stdout (and nothing else there)." };
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces on errors." };
        var command = new Command("power", "Minimum detectable effect and power of each pair's risk-difference DiD, with an optional design effect.")
            { cells, power, alpha, icc, clusterSize, effect, json, verbose };
        command.SetAction(p =>
        {
            var options = Options(p.GetValue(alpha), p.GetValue(power), p.GetValue(icc), p.GetValue(clusterSize), p.GetValue(effect));
            var path = p.GetValue(cells)!;
            var results = new List<PairPower>();
            foreach (var (pair, c) in Readers.Cells(path))
            {
                try { results.Add(Power.ForPair(pair, c, options)); }
                catch (ArgumentException e) { throw new UsageException($"{path}: {e.Message.Replace($" (Parameter '{e.ParamName}')", "")}"); }
            }
            if (p.GetValue(json)) stdout.WriteLine(Json(results).ToJsonString(JsonOutput.Options));
            else stdout.Write(Text(results, options));
            return 0;
        });
        return command;
    }

    private static PowerOptions Options(double alpha, double power, double? icc, double? clusterSize, double? effect)
    {
        if (!(alpha > 0 && alpha < 1)) throw new UsageException($"--alpha {Show(alpha)}: the significance level must lie strictly between 0 and 1.");
        if (!(power > 0 && power < 1)) throw new UsageException($"--power {Show(power)}: the power must lie strictly between 0 and 1.");
        if (icc.HasValue != clusterSize.HasValue) throw new UsageException("--icc and --cluster-size go together: the design effect 1 + (m - 1) ICC needs both.");
        if (icc is double r && !(r >= 0 && r < 1)) throw new UsageException($"--icc {Show(r)}: the ICC must lie in [0, 1).");
        if (clusterSize is double m && !(double.IsFinite(m) && m >= 1)) throw new UsageException($"--cluster-size {Show(m)}: the cluster size must be finite and at least 1.");
        if (effect is double d && !double.IsFinite(d)) throw new UsageException($"--effect {Show(d)}: the effect must be finite.");
        return new PowerOptions { Alpha = alpha, Power = power, Icc = icc ?? 0, ClusterSize = clusterSize ?? 1, Effect = effect };
    }

    private static JsonObject Json(IEnumerable<PairPower> results)
    {
        var pairs = new JsonArray();
        foreach (var r in results)
        {
            var o = new JsonObject { ["name"] = r.Name, ["se0"] = JsonOutput.Num(r.Se0), ["designEffect"] = JsonOutput.Num(r.DesignEffect), ["mde"] = JsonOutput.Num(r.Mde) };
            if (r.PowerForEffect is double pw) o["power"] = JsonOutput.Num(pw);
            pairs.Add((JsonNode)o);
        }
        return new JsonObject { ["pairs"] = pairs };
    }

    private static string Text(IEnumerable<PairPower> results, PowerOptions o)
    {
        var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"Power of the risk-difference DiD (two-sided alpha {o.Alpha}, target power {o.Power}, design effect 1 + ({o.ClusterSize} - 1) x {o.Icc})\n"));
        foreach (var r in results)
            sb.AppendLine("  " + r + (r.PowerForEffect is null ? "" : string.Create(CultureInfo.InvariantCulture, $" for {100 * o.Effect!.Value:+0.00;-0.00} points")));
        return sb.ToString();
    }

    private static string Show(double x) => x.ToString(CultureInfo.InvariantCulture);
}
