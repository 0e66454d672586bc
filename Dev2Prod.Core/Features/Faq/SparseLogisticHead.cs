namespace Dev2Prod.Core.Features.Faq;

/// <summary>
/// Multinomial logistic regression over sparse lexical features (stemmed words, word pairs and character
/// trigrams, TF-IDF weighted): the classic text classifier, whose mistakes differ from the embeddings'. Trained
/// at load with Nesterov gradient descent; weights are stored feature-major so a message costs one short
/// vector add per feature it contains.
/// </summary>
internal sealed class SparseLogisticHead
{
    private readonly float[] _weights; // [feature * classes + class]
    private readonly float[] _bias;
    private readonly int _classes;

    private SparseLogisticHead(float[] weights, float[] bias, int classes)
    {
        _weights = weights;
        _bias = bias;
        _classes = classes;
    }

    public static SparseLogisticHead Train(IReadOnlyList<SparseVector> samples, IReadOnlyList<int> labels, int featureCount, int classCount,
        double l2, int iterations, CancellationToken ct)
    {
        var perClass = new int[classCount];
        foreach (var label in labels)
        {
            perClass[label]++;
        }

        var present = perClass.Count(c => c > 0);
        var sampleWeight = labels.Select(l => (float)(1.0 / (present * perClass[l]))).ToArray();

        var size = featureCount * classCount;
        var weights = new float[size];
        var previous = new float[size];
        var lookahead = new float[size];
        var gradient = new float[size];
        var bias = new float[classCount];
        var previousBias = new float[classCount];
        var lookaheadBias = new float[classCount];
        var gradientBias = new float[classCount];
        var logits = new float[classCount];

        const float step = 4.0f;
        for (var t = 1; t <= iterations; t++)
        {
            ct.ThrowIfCancellationRequested();
            var momentum = (t - 1f) / (t + 2f);
            VectorMath.Extrapolate(weights, previous, momentum, lookahead);
            lookahead.CopyTo(gradient, 0);
            VectorMath.Scale(gradient, (float)l2);

            for (var c = 0; c < classCount; c++)
            {
                lookaheadBias[c] = bias[c] + (momentum * (bias[c] - previousBias[c]));
                gradientBias[c] = 0;
            }

            for (var s = 0; s < samples.Count; s++)
            {
                Logits(lookahead, lookaheadBias, classCount, samples[s], logits);
                Softmax(logits);
                logits[labels[s]] -= 1;
                var w = sampleWeight[s];
                for (var c = 0; c < classCount; c++)
                {
                    logits[c] *= w;
                    gradientBias[c] += logits[c];
                }

                var sample = samples[s];
                for (var j = 0; j < sample.Indices.Length; j++)
                {
                    VectorMath.AddScaled(gradient.AsSpan(sample.Indices[j] * classCount, classCount), logits, sample.Values[j]);
                }
            }

            weights.CopyTo(previous, 0);
            lookahead.CopyTo(weights, 0);
            VectorMath.AddScaled(weights, gradient, -step);

            for (var c = 0; c < classCount; c++)
            {
                previousBias[c] = bias[c];
                bias[c] = lookaheadBias[c] - (step * gradientBias[c]);
            }
        }

        return new SparseLogisticHead(weights, bias, classCount);
    }

    /// <summary>Probabilities per class (they sum to 1).</summary>
    public void Score(SparseVector input, Span<double> scores)
    {
        var logits = new float[_classes];
        Logits(_weights, _bias, _classes, input, logits);
        Softmax(logits);
        for (var c = 0; c < _classes; c++)
        {
            scores[c] = logits[c];
        }
    }

    private static void Logits(float[] weights, float[] bias, int classes, SparseVector input, Span<float> logits)
    {
        bias.CopyTo(logits);
        for (var j = 0; j < input.Indices.Length; j++)
        {
            VectorMath.AddScaled(logits, weights.AsSpan(input.Indices[j] * classes, classes), input.Values[j]);
        }
    }

    private static void Softmax(Span<float> values)
    {
        var max = float.MinValue;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        var total = 0f;
        for (var c = 0; c < values.Length; c++)
        {
            values[c] = MathF.Exp(values[c] - max);
            total += values[c];
        }

        for (var c = 0; c < values.Length; c++)
        {
            values[c] /= total;
        }
    }
}

/// <summary>A sparse feature vector: parallel arrays of feature ids and values.</summary>
internal sealed record SparseVector(int[] Indices, float[] Values);
