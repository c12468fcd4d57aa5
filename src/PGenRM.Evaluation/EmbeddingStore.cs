using System.Security.Cryptography;
using System.Text;
using PGenRM.Core.Encoding;

namespace PGenRM.Evaluation;

/// <summary>
/// A file-backed embedding cache for evaluation runs: encoding TL;DR takes about a minute on two cores, and
/// every seed and protocol reuses the same texts. Keyed by the encoder's model id and a SHA-256 of the text.
/// </summary>
public sealed class EmbeddingStore
{
    private readonly ISentenceEncoder _encoder;
    private readonly string? _path;
    private readonly Dictionary<string, float[]> _vectors = new(StringComparer.Ordinal);
    private int _added;

    /// <summary>Opens (or starts) the store for <paramref name="encoder"/>; a null folder keeps it in memory.</summary>
    public EmbeddingStore(ISentenceEncoder encoder, string? folder)
    {
        _encoder = encoder;
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
            _path = Path.Combine(folder, "embeddings-" + Key(encoder.ModelId)[..16] + ".bin");
            Load();
        }
    }

    /// <summary>Embeddings of <paramref name="texts"/>, encoding only those not stored yet.</summary>
    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        var keys = texts.Select(Key).ToArray();
        var missing = keys.Select((k, i) => (k, i)).Where(x => !_vectors.ContainsKey(x.k)).GroupBy(x => x.k).Select(g => g.First().i).ToList();
        const int chunk = 64;
        for (int start = 0; start < missing.Count; start += chunk)
        {
            var batch = missing.Skip(start).Take(chunk).ToList();
            var vectors = await _encoder.EncodeBatchAsync(batch.Select(i => texts[i]).ToList(), cancellationToken).ConfigureAwait(false);
            for (int j = 0; j < batch.Count; j++)
            {
                _vectors[keys[batch[j]]] = vectors[j];
                _added++;
            }

            progress?.Report((Math.Min(start + chunk, missing.Count), missing.Count));
        }

        if (_added > 0)
        {
            Save();
        }

        return keys.Select(k => _vectors[k]).ToArray();
    }

    private string Key(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(_encoder.ModelId + "\n" + text)));

    private void Load()
    {
        if (_path is null || !File.Exists(_path))
        {
            return;
        }

        using var reader = new BinaryReader(File.OpenRead(_path));
        int count = reader.ReadInt32();
        for (int i = 0; i < count; i++)
        {
            string key = reader.ReadString();
            int length = reader.ReadInt32();
            var vector = new float[length];
            for (int j = 0; j < length; j++)
            {
                vector[j] = reader.ReadSingle();
            }

            _vectors[key] = vector;
        }
    }

    private void Save()
    {
        if (_path is null)
        {
            return;
        }

        string temp = _path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temp)))
        {
            writer.Write(_vectors.Count);
            foreach (var (key, vector) in _vectors)
            {
                writer.Write(key);
                writer.Write(vector.Length);
                foreach (float v in vector)
                {
                    writer.Write(v);
                }
            }
        }

        File.Move(temp, _path, overwrite: true);
        _added = 0;
    }
}
