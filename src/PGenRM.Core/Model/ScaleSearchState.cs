namespace PGenRM.Core.Model;

/// <summary>
/// A user model's place between prior-scale grid searches (<see cref="UserModel.SearchState"/>): the scale in force,
/// the pair count at the last search and the online updates since.
/// </summary>
/// <param name="Scale">The prior scale in force.</param>
/// <param name="PairsAtSearch">Pairs the model had at its last grid search.</param>
/// <param name="AddsSinceSearch">Pairs added since then.</param>
public readonly record struct ScaleSearchState(double Scale, int PairsAtSearch, int AddsSinceSearch);
