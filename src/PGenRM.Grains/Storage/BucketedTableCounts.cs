namespace PGenRM.Grains.Storage;

/// <summary>What a silo's <see cref="BucketedTableStorage"/> has sent so far (the benchmark and tests read rows per transaction from it).</summary>
/// <param name="Reads">Point reads (one per item activation).</param>
/// <param name="ReadsFound">Point reads that found a row (the others were new items).</param>
/// <param name="SingleWrites">Rows written alone (an insert or an update: a partition had one row waiting).</param>
/// <param name="Transactions">Entity-group transactions sent (a resubmission after a failed row counts again).</param>
/// <param name="TransactionRows">Rows written by successful transactions.</param>
/// <param name="Conflicts">Rows refused for their ETag (the writer re-reads and re-applies).</param>
/// <param name="Deletes">Rows deleted (cleared states).</param>
public readonly record struct BucketedTableCounts(long Reads, long ReadsFound, long SingleWrites, long Transactions, long TransactionRows, long Conflicts, long Deletes)
{
    /// <summary>Rows written, alone or in transactions.</summary>
    public long RowsWritten => SingleWrites + TransactionRows;

    /// <summary>Write requests: single writes plus transactions.</summary>
    public long WriteRequests => SingleWrites + Transactions;

    /// <summary>Rows per write request (1 when nothing was batched; 0 before any write).</summary>
    public double RowsPerWriteRequest => WriteRequests == 0 ? 0 : (double)RowsWritten / WriteRequests;

    /// <summary>The counts since <paramref name="before"/>.</summary>
    public BucketedTableCounts Since(BucketedTableCounts before) => new(
        Reads - before.Reads, ReadsFound - before.ReadsFound, SingleWrites - before.SingleWrites, Transactions - before.Transactions,
        TransactionRows - before.TransactionRows, Conflicts - before.Conflicts, Deletes - before.Deletes);
}
