using System.Globalization;
using Evaluation.Stats.Numerics;

namespace Evaluation.Stats.Regression;

/// <summary>
/// The information matrix X'WX and score X'Wz over the kept columns as the IRLS loop solves them: the columns kept
/// (aliasing), the assembly from the engine's last evaluation, the Newton step and the inverse (the bread).
/// </summary>
internal interface IInformation
{
    /// <summary>Decides aliasing after the engine's evaluation at the start; returns the kept columns in design order.</summary>
    int[] KeptColumns(IIrlsEngine engine, double tolerance);

    /// <summary>Takes X'WX and X'Wz from the engine's last evaluation.</summary>
    void Assemble(IIrlsEngine engine);

    /// <summary>Solves X'WX β = X'Wz (β by position among the kept columns); false when X'WX is not positive definite.</summary>
    bool Solve(double[] beta);

    /// <summary>The inverse of X'WX.</summary>
    CovarianceMatrix Inverse();
}

/// <summary>The dense p × p system (ordinary designs): Cholesky solve and inverse.</summary>
internal sealed class DenseInformation : IInformation
{
    private int[] _kept = [];
    private double[] _info = [], _rhs = [];

    /// <summary>A dense system for a design of <paramref name="total"/> columns.</summary>
    /// <exception cref="ArgumentException">When its total × total matrix cannot be held.</exception>
    internal DenseInformation(int total) => Check(total);

    /// <summary>Refuses a design whose dense information matrix cannot be held, before anything is computed.</summary>
    internal static void Check(int total)
    {
        if ((long)total * total > CovarianceMatrix.MaxDenseEntries)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The design has {total:N0} columns; its dense information matrix ({(double)total * total * 8 / 1e9:0.0} GB) cannot be held. ") +
                                        "A many-level categorical is absorbed (without that matrix) by the fast engine with the model covariance; " +
                                        "robust covariances, Firth's fit, weights and offsets need the dense matrix.");
    }

    public int[] KeptColumns(IIrlsEngine engine, double tolerance)
    {
        _kept = engine.KeptColumns(tolerance);
        int p = _kept.Length;
        _info = new double[p * p];
        _rhs = new double[p];
        return _kept;
    }

    public void Assemble(IIrlsEngine engine) => engine.Assemble(_kept, _info, _rhs);

    public bool Solve(double[] beta) => SmallDense.Solve(_info, _rhs, beta, _kept.Length);

    public CovarianceMatrix Inverse() => new DenseCovariance(SmallDense.Inverse(_info, _kept.Length), _kept.Length);
}

/// <summary>
/// The system of a design with an absorbed many-level categorical: its dummies are mutually exclusive, so their block
/// D of X'WX is diagonal. With A the block of the q other terms and B (L × q) the cross block, the step solves the
/// Schur complement S = A − B'D⁻¹B (q × q) and recovers the levels one by one, in O(L q²) instead of O((L + q)³);
/// the inverse is held in blocks (<see cref="BlockedCovariance"/>). Aliasing: a level is aliased when it is empty; the
/// other terms are tested on their residuals after the levels are projected out, in design order (so a term that is
/// constant within levels is the one reported aliased, where R, in design order, would alias a level instead).
/// </summary>
internal sealed class BlockedInformation(int[] absorbable) : IInformation
{
    private int[] _others = [], _absorbed = [];   // design columns of each block (kept)
    private int[] _posOthers = [], _posAbsorbed = []; // their positions among the kept columns
    private int[] _blockOf = [], _indexInBlock = [];
    private double[] _a = [], _b = [], _d = [], _ra = [], _rc = [];
    private int Q => _others.Length;
    private int L => _absorbed.Length;

    public int[] KeptColumns(IIrlsEngine engine, double tolerance)
    {
        int total = engine.Design.TermNames.Count;
        var isAbsorbable = new bool[total];
        foreach (var j in absorbable) isAbsorbable[j] = true;
        var others = Enumerable.Range(0, total).Where(j => !isAbsorbable[j]).ToArray();
        Use(others, absorbable);
        engine.AssembleBlocked(_others, _absorbed, _a, _b, _d, _ra, _rc);
        // At the start every weight is the same, so D is the levels' counts up to that constant: an empty level is aliased.
        var keptLevels = Enumerable.Range(0, absorbable.Length).Where(l => _d[l] > 0).ToArray();
        var norms = Enumerable.Range(0, Q).Select(k => _a[k * Q + k]).ToArray();
        var s = Schur(keptLevels);
        var keptOthers = SmallDense.KeptColumns(s, Q, tolerance, norms);
        Use(keptOthers.Select(k => others[k]).ToArray(), keptLevels.Select(l => absorbable[l]).ToArray());
        var kept = _others.Concat(_absorbed).Order().ToArray();
        var position = new Dictionary<int, int>();
        for (int k = 0; k < kept.Length; k++) position[kept[k]] = k;
        _posOthers = _others.Select(j => position[j]).ToArray();
        _posAbsorbed = _absorbed.Select(j => position[j]).ToArray();
        _blockOf = new int[kept.Length];
        _indexInBlock = new int[kept.Length];
        for (int k = 0; k < Q; k++) { _blockOf[_posOthers[k]] = 0; _indexInBlock[_posOthers[k]] = k; }
        for (int l = 0; l < L; l++) { _blockOf[_posAbsorbed[l]] = 1; _indexInBlock[_posAbsorbed[l]] = l; }
        return kept;
    }

    private void Use(int[] others, int[] absorbed)
    {
        _others = others;
        _absorbed = absorbed;
        _a = new double[Q * Q];
        _b = new double[L * Q];
        _d = new double[L];
        _ra = new double[Q];
        _rc = new double[L];
    }

    /// <summary>S = A − Σ_l B[l]'B[l] / d_l over <paramref name="levels"/> (all when null).</summary>
    private double[] Schur(int[]? levels = null)
    {
        int q = Q;
        var s = (double[])_a.Clone();
        foreach (int l in levels ?? Enumerable.Range(0, L))
        {
            var row = _b.AsSpan(l * q, q);
            double inv = 1 / _d[l];
            for (int i = 0; i < q; i++)
            {
                double bi = row[i] * inv;
                if (bi == 0) continue;
                for (int j = 0; j < q; j++) s[i * q + j] -= bi * row[j];
            }
        }
        return s;
    }

    public void Assemble(IIrlsEngine engine) => engine.AssembleBlocked(_others, _absorbed, _a, _b, _d, _ra, _rc);

    public bool Solve(double[] beta)
    {
        int q = Q;
        var s = Schur();
        var r = (double[])_ra.Clone();
        for (int l = 0; l < L; l++)
        {
            double c = _rc[l] / _d[l];
            for (int i = 0; i < q; i++) r[i] -= _b[l * q + i] * c;
        }
        var a = new double[q];
        if (q > 0 && !SmallDense.Solve(s, r, a, q)) return false;
        for (int k = 0; k < q; k++) beta[_posOthers[k]] = a[k];
        for (int l = 0; l < L; l++)
        {
            if (!(_d[l] > 0)) return false;
            double v = _rc[l];
            for (int i = 0; i < q; i++) v -= _b[l * q + i] * a[i];
            beta[_posAbsorbed[l]] = v / _d[l];
        }
        return true;
    }

    public CovarianceMatrix Inverse()
    {
        int q = Q;
        var sInverse = q > 0 ? SmallDense.Inverse(Schur(), q) : [];
        var e = new double[L * q];
        var f = new double[L * q];
        for (int l = 0; l < L; l++)
        {
            for (int k = 0; k < q; k++) e[l * q + k] = _b[l * q + k] / _d[l];
            for (int i = 0; i < q; i++)
            {
                double v = 0;
                for (int k = 0; k < q; k++) v += e[l * q + k] * sInverse[k * q + i];
                f[l * q + i] = v;
            }
        }
        int p = _blockOf.Length;
        var other = new int[p];
        var absorbed = new int[p];
        for (int k = 0; k < p; k++)
        {
            other[k] = _blockOf[k] == 0 ? _indexInBlock[k] : -1;
            absorbed[k] = _blockOf[k] == 1 ? _indexInBlock[k] : -1;
        }
        return new BlockedCovariance(other, absorbed, sInverse, e, f, (double[])_d.Clone(), q);
    }
}
