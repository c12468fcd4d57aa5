namespace PGenRM.Encoding.Onnx.Tests;

internal static class Vectors
{
    public static double Cosine(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    public static double Norm(float[] a) => Math.Sqrt(a.Sum(x => (double)x * x));
}
