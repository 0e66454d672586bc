using System.Numerics;
using System.Runtime.InteropServices;

namespace Dev2Prod.Core.Features.Faq;

internal static class VectorMath
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (var k = 0; k < va.Length; k++)
            {
                sum += va[k] * vb[k];
            }

            i = va.Length * Vector<float>.Count;
        }

        var total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }

    /// <summary>Adds <paramref name="scale"/> * <paramref name="source"/> to <paramref name="target"/>.</summary>
    public static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float scale)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<float>.Count)
        {
            var vt = MemoryMarshal.Cast<float, Vector<float>>(target);
            var vs = MemoryMarshal.Cast<float, Vector<float>>(source[..target.Length]);
            var factor = new Vector<float>(scale);
            for (var k = 0; k < vt.Length; k++)
            {
                vt[k] += factor * vs[k];
            }

            i = vt.Length * Vector<float>.Count;
        }

        for (; i < target.Length; i++)
        {
            target[i] += scale * source[i];
        }
    }

    /// <summary><paramref name="target"/> = current + momentum * (current - previous), element-wise.</summary>
    public static void Extrapolate(ReadOnlySpan<float> current, ReadOnlySpan<float> previous, float momentum, Span<float> target)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<float>.Count)
        {
            var vc = MemoryMarshal.Cast<float, Vector<float>>(current);
            var vp = MemoryMarshal.Cast<float, Vector<float>>(previous);
            var vt = MemoryMarshal.Cast<float, Vector<float>>(target);
            var m = new Vector<float>(momentum);
            for (var k = 0; k < vt.Length; k++)
            {
                vt[k] = vc[k] + (m * (vc[k] - vp[k]));
            }

            i = vt.Length * Vector<float>.Count;
        }

        for (; i < target.Length; i++)
        {
            target[i] = current[i] + (momentum * (current[i] - previous[i]));
        }
    }

    public static void Scale(Span<float> target, float factor)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<float>.Count)
        {
            var vt = MemoryMarshal.Cast<float, Vector<float>>(target);
            for (var k = 0; k < vt.Length; k++)
            {
                vt[k] *= factor;
            }

            i = vt.Length * Vector<float>.Count;
        }

        for (; i < target.Length; i++)
        {
            target[i] *= factor;
        }
    }

    /// <summary>Adds <paramref name="scale"/> * <paramref name="source"/> to <paramref name="target"/> (doubles).</summary>
    public static void AddScaled(Span<double> target, ReadOnlySpan<double> source, double scale)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var vt = MemoryMarshal.Cast<double, Vector<double>>(target);
            var vs = MemoryMarshal.Cast<double, Vector<double>>(source[..target.Length]);
            var factor = new Vector<double>(scale);
            for (var k = 0; k < vt.Length; k++)
            {
                vt[k] += factor * vs[k];
            }

            i = vt.Length * Vector<double>.Count;
        }

        for (; i < target.Length; i++)
        {
            target[i] += scale * source[i];
        }
    }

    public static float[] Normalised(float[] vector)
    {
        var norm = MathF.Sqrt(Dot(vector, vector));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }

        return vector;
    }
}
