namespace VirtFlow.Contracts;

/// <summary>The result of <see cref="QuiesceVm"/> and <see cref="RenewQuiesceLease"/>.</summary>
/// <param name="LeaseId">The lease; pass it to <see cref="UnquiesceVm"/> and <see cref="RenewQuiesceLease"/>.</param>
/// <param name="Method">What was done (<see cref="QuiesceModes"/>: fsfreeze, pause or none).</param>
/// <param name="FrozenFilesystems">Filesystems frozen (fsfreeze).</param>
/// <param name="WasPaused">The VM was not running when quiesced: it stays paused after unquiesce.</param>
/// <param name="ExpiresAt">When the worker releases the guest by itself.</param>
public sealed record QuiesceResult(string LeaseId, string Method, int FrozenFilesystems, bool WasPaused, DateTimeOffset ExpiresAt);
