using TorchSharp;

namespace RadMah.Neural;

/// <summary>
/// The scalars the training arithmetic uses, made once and kept for the life of the process.
/// TorchSharp turns a number written next to a tensor (<c>x + 1e-20</c>, and the implicit alpha of
/// <c>a + b</c>) into a temporary Scalar that only its finalizer frees; a garbage collection during
/// the native call can free it while LibTorch still reads it, which aborted a training here
/// (c10 "toFloat: Expected false to be true"). Tensor.square() is pow with such a temporary 2: it aborted
/// a training too (c10 Scalar.h "false INTERNAL ASSERT FAILED" in pow), and where the freed memory still
/// read as a number, changed a rerun's weights in their last bits; pow(<see cref="Two"/>) is the same
/// arithmetic. Passing these instead leaves nothing to finalize.
/// </summary>
internal static class Constant
{
    public static readonly Scalar One = 1.0.ToScalar();
    public static readonly Scalar MinusOne = (-1.0).ToScalar();
    public static readonly Scalar Half = 0.5.ToScalar();
    public static readonly Scalar MinusHalf = (-0.5).ToScalar();
    public static readonly Scalar Two = 2.0.ToScalar();
    public static readonly Scalar Tiny = 1e-20.ToScalar();
    public static readonly Scalar SigmaMin = 0.01.ToScalar();
    public static readonly Scalar SigmaMax = 1.0.ToScalar();
    public static readonly Scalar Tau = CtganOptions.Tau.ToScalar();
    public static readonly Scalar Lambda = CtganOptions.Lambda.ToScalar();
    public static readonly Scalar BatchNormEpsilon = 1e-5.ToScalar();
}
