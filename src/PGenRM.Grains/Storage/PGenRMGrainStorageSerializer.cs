using Orleans.Serialization;
using Orleans.Storage;

namespace PGenRM.Grains.Storage;

/// <summary>
/// Grain storage serializer for every PGenRM storage: <see cref="UserState"/> in the packed format of
/// <see cref="UserStatePacker"/>, any other state through the Orleans serializer. Both name types by their
/// <c>[Alias]</c> and fields by <c>[Id]</c>, not by CLR names as Orleans' default JSON does, so renaming or moving a
/// state type does not break stored state.
/// </summary>
public sealed class PGenRMGrainStorageSerializer(Serializer serializer) : IGrainStorageSerializer
{
    private readonly OrleansGrainStorageSerializer _orleans = new(serializer);

    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input) =>
        input is UserState user ? new BinaryData(UserStatePacker.Pack(user, serializer)) : _orleans.Serialize(input);

    /// <inheritdoc />
    public T? Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return typeof(T) == typeof(UserState) ? (T)(object)UserStatePacker.Unpack(input.ToMemory(), serializer) : _orleans.Deserialize<T>(input);
    }
}
