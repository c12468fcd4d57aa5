namespace PGenRM.Core.Tests.Model.Reference;

/// <summary>The old LaplacePosterior's content: mean, column-major lower Cholesky factor, evidence, scale, leave-one-out.</summary>
internal sealed record ReferencePosterior(double[] Mean, double[] Lower, double LogEvidence, double Scale, double LeaveOneOut);
