namespace PGenRM.Core.Model;

/// <summary>A pair in index form: <paramref name="User"/> preferred item <paramref name="Chosen"/> over <paramref name="Rejected"/>.</summary>
public readonly record struct TrainingPair(int User, int Chosen, int Rejected, double Weight);
