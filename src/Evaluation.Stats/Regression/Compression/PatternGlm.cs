using Evaluation.Stats.Numerics;

namespace Evaluation.Stats.Regression;

/// <summary>
/// The grouped binomial fit on covariate patterns whose design rows are all 0/1 (an intercept, dummies of
/// categoricals, 0/1 columns and their products): each row is stored as the list of its columns that are 1, so a
/// row's linear predictor is a sum of coefficients and its share of X'WX is its weight on each pair of its columns.
/// It is the row-level fit's IRLS (R's start, halving and stopping rule) and adjusted score on that sparse storage, so a fit
/// on 10⁵–10⁶ patterns costs tens of milliseconds per iteration. Columns are the kept (non-aliased) ones.
/// </summary>
internal sealed class PatternGlm
{
    internal PatternGlm(int[] start, int[] columns, int p, double[] events, double[] trials, BinomialLink kind)
    {
        Start = start;
        Columns = columns;
        P = p;
        Events = events;
        Trials = trials;
        Kind = kind;
        Link = Links.Of(kind);
        Y = events.Zip(trials, (e, t) => e / t).ToArray();
    }

    internal readonly int[] Start;    // pattern r's columns are Columns[Start[r]..Start[r + 1])
    internal readonly int[] Columns;
    internal readonly int P;
    internal readonly double[] Events;
    internal readonly double[] Trials;
    internal readonly BinomialLink Kind;
    internal readonly ILink Link;
    internal readonly double[] Y;     // events / trials
    internal int Rows => Trials.Length;

    internal double Eta(int r, double[] beta)
    {
        double s = 0;
        for (int k = Start[r]; k < Start[r + 1]; k++) s += beta[Columns[k]];
        return s;
    }

    /// <summary>The binomial kernel Σ [e log μ + (t − e) log(1 − μ)] (the log-likelihood less its constants).</summary>
    internal double Kernel(Func<int, double> mu)
    {
        double ll = 0;
        for (int r = 0; r < Rows; r++)
        {
            double m = mu(r), e = Events[r], f = Trials[r] - e;
            ll += (e > 0 ? e * Math.Log(m) : 0) + (f > 0 ? f * Math.Log(1 - m) : 0);
        }
        return ll;
    }

    /// <summary>Σ w x x' (p × p, row-major) and Σ w z x, for per-pattern weights w and working responses z.</summary>
    internal (double[] A, double[] B) Normal(Func<int, (double W, double Z)> row)
    {
        var w = new double[Rows];
        var z = new double[Rows];
        for (int r = 0; r < Rows; r++) (w[r], z[r]) = row(r);
        return Normal(w, z);
    }

    /// <summary>
    /// Σ w x x' and Σ w z x: the patterns split into one range per thread, each adding its rows' weights to the upper
    /// triangle of its own matrix (a row's columns ascend), then the ranges summed in order and the triangle mirrored.
    /// </summary>
    internal (double[] A, double[] B) Normal(double[] w, double[] z)
    {
        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, Rows / 50_000));
        var parts = new (double[] A, double[] B)[workers];
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, t =>
        {
            var a = new double[P * P];
            var b = new double[P];
            int from = (int)((long)Rows * t / workers), to = (int)((long)Rows * (t + 1) / workers);
            for (int r = from; r < to; r++)
            {
                double wr = w[r], wz = wr * z[r];
                int s = Start[r], e = Start[r + 1];
                for (int k = s; k < e; k++)
                {
                    int j = Columns[k], row = j * P;
                    b[j] += wz;
                    for (int l = k; l < e; l++) a[row + Columns[l]] += wr;
                }
            }
            parts[t] = (a, b);
        });
        var (sum, rhs) = parts[0];
        for (int t = 1; t < workers; t++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(sum, parts[t].A, sum);
            System.Numerics.Tensors.TensorPrimitives.Add(rhs, parts[t].B, rhs);
        }
        for (int i = 0; i < P; i++)
            for (int j = i + 1; j < P; j++) sum[j * P + i] = sum[i * P + j];
        return (sum, rhs);
    }

    internal double Weight(double eta, int r)
    {
        double mu = Link.Inverse(eta), d = Link.Derivative(eta);
        return Trials[r] * d * d / (mu * (1 - mu));
    }

    /// <summary>IRLS as the shared loop (<see cref="IrlsLoop"/>: R's start, halving, stopping rule), with the grouped deviance for the stopping rule.</summary>
    internal (double[] Beta, int Iterations, bool Converged) Irls(double tolerance, int maxIterations)
    {
        var eta = new double[Rows];
        for (int r = 0; r < Rows; r++) eta[r] = Link.Apply((Events[r] + 0.5) / (Trials[r] + 1));
        double devOld = Deviance(r => (Events[r] + 0.5) / (Trials[r] + 1));
        double[]? beta = null;
        for (int iter = 1; iter <= maxIterations; iter++)
        {
            var (a, b) = Normal(r =>
            {
                double mu = Link.Inverse(eta[r]), d = Link.Derivative(eta[r]);
                return (Trials[r] * d * d / (mu * (1 - mu)), eta[r] + (Y[r] - mu) / d);
            });
            var next = new double[P];
            if (!SmallDense.Solve(a, b, next, P)) throw new NotPositiveDefiniteException();
            double dev = Deviance(r => Link.Inverse(Eta(r, next)));
            for (int h = 0; beta is not null && !double.IsFinite(dev) && h < 30; h++)
            {
                for (int j = 0; j < P; j++) next[j] = (next[j] + beta[j]) / 2;
                dev = Deviance(r => Link.Inverse(Eta(r, next)));
            }
            double moved = beta is null ? double.PositiveInfinity : next.Zip(beta, (u, v) => Math.Abs(u - v)).Max() / (next.Max(Math.Abs) + 0.1);
            beta = next;
            for (int r = 0; r < Rows; r++) eta[r] = Eta(r, beta);
            if (Math.Abs(dev - devOld) / (Math.Abs(dev) + 0.1) < tolerance && moved < 1e-9) return (beta, iter, true);
            devOld = dev;
        }
        return (beta ?? new double[P], maxIterations, false);
    }

    /// <summary>Firth's fit by the adjusted score, as <see cref="AdjustedScoreFirth"/>.</summary>
    internal (double[] Beta, int Iterations, bool Converged) AdjustedScore(int maxIterations)
    {
        var (beta, _, _) = Irls(double.PositiveInfinity, 1);
        for (int iter = 1; iter <= maxIterations; iter++)
        {
            var step = AdjustedStep(beta);
            for (int h = 0; h < 30 && !AdjustedStep(Add(beta, step)).All(double.IsFinite); h++)
                for (int j = 0; j < P; j++) step[j] /= 2;
            beta = Add(beta, step);
            if (step.Max(Math.Abs) < 1e-11) return (beta, iter, true);
        }
        return (beta, maxIterations, false);
    }

    private static double[] Add(double[] a, double[] b) => a.Zip(b, (u, v) => u + v).ToArray();

    private double[] AdjustedStep(double[] beta)
    {
        var (info, _) = Normal(r => (Weight(Eta(r, beta), r), 0));
        double[] inv;
        try { inv = SmallDense.Inverse(info, P); }
        catch (NotPositiveDefiniteException) { return Enumerable.Repeat(double.NaN, P).ToArray(); }
        var score = new double[P];
        for (int r = 0; r < Rows; r++)
        {
            double eta = Eta(r, beta), mu = Link.Inverse(eta), d = Link.Derivative(eta), q = 0;
            for (int k = Start[r]; k < Start[r + 1]; k++)
                for (int l = Start[r]; l < Start[r + 1]; l++) q += inv[Columns[k] * P + Columns[l]];
            double u = (Events[r] - Trials[r] * mu) * d / (mu * (1 - mu)) + 0.5 * Weight(eta, r) * q * LinkCurvature.Of(Kind, eta) / d;
            for (int k = Start[r]; k < Start[r + 1]; k++) score[Columns[k]] += u;
        }
        var step = new double[P];
        for (int i = 0; i < P; i++) for (int j = 0; j < P; j++) step[i] += inv[i * P + j] * score[j];
        return step;
    }

    /// <summary>The grouped deviance 2 Σ t [y log(y/μ) + (1 − y) log((1 − y)/(1 − μ))], y = e/t.</summary>
    internal double Deviance(Func<int, double> mu)
    {
        var m = new double[Rows];
        for (int r = 0; r < Rows; r++) m[r] = mu(r);
        return BinomialDeviance.Of(Y, Trials, m);
    }
}
