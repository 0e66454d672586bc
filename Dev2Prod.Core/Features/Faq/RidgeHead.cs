namespace Dev2Prod.Core.Features.Faq;

/// <summary>
/// A linear classification head on the sentence embeddings: one-vs-rest ridge regression, solved in closed form
/// ((X'X + λI) W = X'Y by Cholesky). Deterministic and fast to train at load (tens of milliseconds for a few
/// thousand phrasings), which matters because every knowledge-base edit retrains it.
/// </summary>
internal sealed class RidgeHead
{
    private readonly float[][] _weights; // per class: d weights + bias

    private RidgeHead(float[][] weights) => _weights = weights;

    public static RidgeHead Train(IReadOnlyList<float[]> samples, IReadOnlyList<int> labels, int classCount, double ridge)
    {
        var d = samples[0].Length + 1;
        var rows = new double[d][];
        for (var i = 0; i < d; i++)
        {
            rows[i] = new double[d];
        }

        var gram = new double[d, d];
        var xty = new double[d, classCount];

        // Each class contributes about equally, however many phrasings it has.
        var perClass = new int[classCount];
        foreach (var label in labels)
        {
            perClass[label]++;
        }

        var mean = labels.Count / (double)classCount;
        var x = new double[d];
        for (var n = 0; n < samples.Count; n++)
        {
            var sample = samples[n];
            for (var i = 0; i < d - 1; i++)
            {
                x[i] = sample[i];
            }

            x[d - 1] = 1;
            var weight = Math.Sqrt(mean / perClass[labels[n]]);
            for (var i = 0; i < d; i++)
            {
                var xi = x[i] * weight;
                if (xi == 0)
                {
                    continue;
                }

                VectorMath.AddScaled(rows[i].AsSpan(i), x.AsSpan(i), xi);

                xty[i, labels[n]] += xi;
            }
        }

        for (var i = 0; i < d; i++)
        {
            for (var j = i; j < d; j++)
            {
                gram[i, j] = rows[i][j];
                gram[j, i] = rows[i][j];
            }

            gram[i, i] += ridge;
        }

        var lower = Cholesky(gram, d);
        var weights = new float[classCount][];
        var column = new double[d];
        for (var c = 0; c < classCount; c++)
        {
            for (var i = 0; i < d; i++)
            {
                column[i] = xty[i, c];
            }

            var solution = Solve(lower, column, d);
            weights[c] = [.. solution.Select(v => (float)v)];
        }

        return new RidgeHead(weights);
    }

    public void Score(ReadOnlySpan<float> embedding, Span<double> scores)
    {
        for (var c = 0; c < _weights.Length; c++)
        {
            var w = _weights[c];
            scores[c] = VectorMath.Dot(w.AsSpan(0, embedding.Length), embedding) + w[^1];
        }
    }

    private static double[,] Cholesky(double[,] a, int n)
    {
        var l = new double[n, n];
        for (var j = 0; j < n; j++)
        {
            var sum = a[j, j];
            for (var k = 0; k < j; k++)
            {
                sum -= l[j, k] * l[j, k];
            }

            l[j, j] = Math.Sqrt(Math.Max(sum, 1e-12));
            for (var i = j + 1; i < n; i++)
            {
                var s = a[i, j];
                for (var k = 0; k < j; k++)
                {
                    s -= l[i, k] * l[j, k];
                }

                l[i, j] = s / l[j, j];
            }
        }

        return l;
    }

    private static double[] Solve(double[,] l, double[] b, int n)
    {
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = b[i];
            for (var k = 0; k < i; k++)
            {
                s -= l[i, k] * y[k];
            }

            y[i] = s / l[i, i];
        }

        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var s = y[i];
            for (var k = i + 1; k < n; k++)
            {
                s -= l[k, i] * x[k];
            }

            x[i] = s / l[i, i];
        }

        return x;
    }
}
