using BenchmarkDotNet.Attributes;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Benchmarks;

/// <summary>Synthetic logistic data: dense N(0,1) columns and, optionally, categoricals.</summary>
public static class LogisticData
{
    /// <summary>n rows, p columns in all (an intercept, p − 1 − 2·cats numeric columns... see remarks), a 0/1 outcome.</summary>
    public static (ModelData Data, ModelSpec Spec, double[] Y) Dense(int n, int p, int seed = 1)
    {
        var rng = new Random(seed);
        var data = new ModelData(n);
        var eta = new double[n];
        var names = new List<string>();
        for (int j = 0; j < p - 1; j++)
        {
            var v = new double[n];
            double b = (rng.NextDouble() - 0.5) / Math.Sqrt(p);
            for (int i = 0; i < n; i++) { v[i] = Gaussian(rng); eta[i] += b * v[i]; }
            data.AddNumeric($"x{j + 1}", v);
            names.Add($"x{j + 1}");
        }
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-eta[i])) ? 1 : 0;
        return (data, new ModelSpec(names, [], []), y);
    }

    /// <summary>The DiD model's shape: pilot, post, pilot:post, age, and ten categoricals (about 40 dummy columns).</summary>
    public static (ModelData Data, ModelSpec Spec, double[] Y) DidShape(int n, int seed = 2)
    {
        var rng = new Random(seed);
        var data = new ModelData(n);
        var pilot = new double[n];
        var post = new double[n];
        var age = new double[n];
        var eta = new double[n];
        for (int i = 0; i < n; i++)
        {
            pilot[i] = rng.Next(2); post[i] = rng.Next(2); age[i] = 18 + rng.Next(50);
            eta[i] = 1 + 0.2 * pilot[i] + 0.1 * post[i] + 0.3 * pilot[i] * post[i] - 0.01 * (age[i] - 35);
        }
        data.AddNumeric("pilot", pilot).AddNumeric("post", post).AddNumeric("age", age);
        var cats = new List<string>();
        for (int c = 0; c < 10; c++)
        {
            int levels = 4 + c % 3; // 4, 5 or 6 levels, blanks among them
            var v = new string?[n];
            for (int i = 0; i < n; i++)
            {
                int l = rng.Next(levels);
                v[i] = l == 0 ? null : ((char)('A' + l)).ToString();
                eta[i] += 0.1 * l - 0.2;
            }
            data.AddCategorical($"c{c}", v);
            cats.Add($"c{c}");
        }
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-eta[i])) ? 1 : 0;
        return (data, new ModelSpec(["pilot", "post", "age"], cats, [("pilot", "post")]), y);
    }

    internal static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}

/// <summary>Logistic fits: the reference path (baseline) against the fast path, dense data.</summary>
[MemoryDiagnoser]
public class LogisticBenchmarks
{
    private ModelData _data = null!;
    private ModelSpec _spec = null!;
    private double[] _y = [];

    [Params(10_000, 100_000, 1_000_000)]
    public int N { get; set; }

    [Params(10, 30, 60)]
    public int P { get; set; }

    [GlobalSetup]
    public void Setup() => (_data, _spec, _y) = LogisticData.Dense(N, P);

    [Benchmark(Baseline = true)]
    public double Reference() => LogisticRegression.Fit(_data, _spec, _y, new LogisticOptions { Implementation = Implementation.Reference }).Deviance;

    [Benchmark]
    public double Fast() => LogisticRegression.Fit(_data, _spec, _y, new LogisticOptions { Implementation = Implementation.Fast }).Deviance;
}

/// <summary>
/// The DiD model's shape at 1M rows: categoricals kept as codes against the same model with every dummy as a dense
/// column, both on the fast path and both from a design already in memory (the fit alone).
/// </summary>
[MemoryDiagnoser]
public class DidShapeBenchmarks
{
    private ModelData _data = null!;
    private ModelSpec _spec = null!;
    private double[] _y = [];
    private FastDesign _dense = null!;
    private FastDesign _codes = null!;

    [Params(1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_data, _spec, _y) = LogisticData.DidShape(N);
        // The same design with every dummy expanded into a dense column.
        var fast = _codes = FastDesign.Build(_data, _spec);
        var columns = Enumerable.Range(0, fast.TermNames.Count).Select(_ => new double[N]).ToArray();
        var row = new double[fast.TermNames.Count];
        for (int i = 0; i < N; i++) { fast.FillRow(i, row); for (int j = 0; j < row.Length; j++) columns[j][i] = row[j]; }
        _dense = FastDesign.FromColumns(columns, fast.TermNames);
    }

    [Benchmark(Baseline = true, Description = "fast path, dummies expanded as dense columns")]
    public double DenseDummies() => LogisticRegression.Fit(_dense, _y).Deviance;

    [Benchmark(Description = "fast path, categoricals as codes")]
    public double Categorical() => LogisticRegression.Fit(_codes, _y).Deviance;
}

/// <summary>Thread scaling of the fast path at 1M × 30.</summary>
public class ThreadScalingBenchmarks
{
    private ModelData _data = null!;
    private ModelSpec _spec = null!;
    private double[] _y = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => (_data, _spec, _y) = LogisticData.Dense(1_000_000, 30);

    [Benchmark]
    public double Fast() => LogisticRegression.Fit(_data, _spec, _y, new LogisticOptions { MaxDegreeOfParallelism = Threads }).Deviance;
}
