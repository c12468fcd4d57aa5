namespace PGenRM.Core.Model;

/// <summary>One response to score: its item id, content features x(q, r) and collaborative statistics.</summary>
/// <param name="ItemId">Client-given id or normalised-text hash.</param>
/// <param name="Content">Content feature vector x(q, r), length D.</param>
/// <param name="Item">Item strength and factor (an unseen item has b = 0 and the content-derived factor).</param>
public sealed record Candidate(string ItemId, double[] Content, ItemView Item);
