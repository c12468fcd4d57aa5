using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

public sealed class PackedSymmetricTests
{
    [Fact]
    public void PackThenUnpack_GivesTheSymmetricMatrixAtFloat32()
    {
        const int D = 5;
        var random = new Random(7);
        var full = new double[D * D];
        for (int i = 0; i < D; i++)
        {
            for (int j = i; j < D; j++)
            {
                full[(j * D) + i] = full[(i * D) + j] = random.NextDouble() - 0.5;
            }
        }

        var packed = PackedSymmetric.Pack(full, D);
        var back = PackedSymmetric.Unpack(packed);

        Assert.Equal(15, packed.Length);
        Assert.Equal(full.Select(x => (double)(float)x), back);
        Assert.Equal(D, PackedSymmetric.Dimension(packed.Length));
    }

    [Fact]
    public void Dimension_RejectsALengthThatIsNoTriangle()
    {
        Assert.Throws<ArgumentException>(() => PackedSymmetric.Dimension(14));
        Assert.Throws<ArgumentException>(() => PackedSymmetric.Pack(new double[10], 3));
    }
}
