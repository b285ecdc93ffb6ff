using Evaluation.Stats.Numerics;

namespace Evaluation.Stats.Regression;

/// <summary>
/// The fast engine: the quantities the shared IRLS loop (<see cref="IrlsLoop"/>) asks for, computed in one fused,
/// vectorised, multi-threaded pass per evaluation over a columnar <see cref="FastDesign"/>. Categorical terms are
/// never expanded: their blocks of X'WX are sums of weights per level. Rows are cut into fixed chunks whose partial
/// sums are added in chunk order, so results do not depend on the number of threads. All buffers are allocated
/// before the first iteration.
/// </summary>
internal static partial class FastLogisticRegression
{
    private const int Block = 512;        // rows per cache block
    private const int MinChunk = 16_384;  // fewest rows per chunk (chunks are fixed by the design, never by the thread count)
    private const double Eps = 2.220446049250313e-16;
    private const double Thresh = 30;
    private static readonly double Log3 = Math.Log(3);
    private const double StartWeight = 0.1875;

    internal enum Mode { Irls, Meat, Deviance }

    /// <summary>The fast engine over a columnar design: one fused pass per evaluation (logit link; prior weights and an offset through FastWeightedKernels.cs).</summary>
    internal sealed class Engine : IIrlsEngine
    {
        private readonly FastDesign _design;
        private readonly Workspace _ws;

        internal Engine(FastDesign design, double[] y, int threads)
        {
            _design = design;
            _ws = new Workspace(design, y, threads);
        }

        /// <summary>With prior weights and an offset when the outcome has them (FastWeightedKernels.cs).</summary>
        internal Engine(FastDesign design, BinomialOutcome outcome, int threads)
        {
            _design = design;
            _ws = new Workspace(design, outcome.Y, threads) { Prior = outcome.IsPlain ? null : new PriorInputs(outcome, Block) };
        }

        public IDesignRows Design => _design;

        public bool HasIntercept => _design.TermNames.Count > 0 && _design.TermNames[0] == "(Intercept)";

        public long Extreme => _ws.Extreme;

        // At R's starting values (β null) every working weight is μ(1 − μ) = 3/16, so that pass's X'WX is X'X up to
        // that constant: aliasing is decided on it, with no separate Gram pass.
        // That first pass also stands in for a scan of the design for non-finite values (FastDesign.ThrowIfNotFinite).
        public double Evaluate(double[]? beta, bool information = true)
        {
            double deviance = _ws.Pass(information || beta is null ? Mode.Irls : Mode.Deviance, beta);
            if (beta is null) _ws.ThrowIfNotFinite();
            return deviance;
        }

        public void Assemble(int[] kept, double[] info, double[] rhs) => _ws.AssembleInto(kept, info, rhs);

        public int[] KeptColumns(double tolerance)
        {
            int total = _design.Parameters.Length;
            var start = _ws.Assemble(Enumerable.Range(0, total).ToArray(), out _);
            return SmallDense.KeptColumns(start, total, tolerance);
        }

        public int[] AbsorbableColumns()
        {
            var par = _design.Parameters;
            var byCat = Enumerable.Range(0, par.Length).Where(j => par[j].Dense < 0 && par[j].Levels.Length == 1 && _design.IsModelCategorical(par[j].Cat))
                .GroupBy(j => par[j].Cat).OrderByDescending(g => g.Count()).FirstOrDefault();
            return byCat?.ToArray() ?? [];
        }

        public void AssembleBlocked(int[] others, int[] absorbed, double[] a, double[] b, double[] d, double[] ra, double[] rc) =>
            _ws.AssembleBlocked(others, absorbed, a, b, d, ra, rc);

        public double[] Meat(double[] beta, int[] kept)
        {
            _ws.Pass(Mode.Meat, beta);
            return _ws.Assemble(kept, out _);
        }

        public void Dispose() => _ws.Dispose();
    }
}
