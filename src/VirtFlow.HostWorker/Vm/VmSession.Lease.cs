namespace VirtFlow.HostWorker;

// The quiesce lease of the VM: held, replaced and ended only inside the quiesce lock (a LeaseScope).
internal sealed partial class VmSession
{
    /// <summary>
    /// The quiesce lock of one session, held: the only way to read or change its lease (docs/rules.md#r5-quiesce-lease: one lease per VM at a
    /// time, and a lease ended exactly once). Dispose it to release the lock.
    /// </summary>
    public sealed class LeaseScope : IDisposable
    {
        private readonly VmSession _session;
        private int _released;

        internal LeaseScope(VmSession session) => _session = session;

        /// <summary>The session whose lease this is.</summary>
        public VmSession Session => _session;

        /// <summary>The lease held, if any.</summary>
        public QuiesceLease? Lease
        {
            get
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _released) == 1, this);
                return _session._lease;
            }
        }

        /// <summary>Holds <paramref name="lease"/>: the guest is quiesced under it from now on.</summary>
        /// <exception cref="InvalidOperationException">Another lease is held.</exception>
        public void Hold(QuiesceLease lease)
        {
            ArgumentNullException.ThrowIfNull(lease);
            if (Lease is { } held && !ReferenceEquals(held, lease))
                throw new InvalidOperationException($"VM {_session.Name} already holds lease {held.Id}");
            Volatile.Write(ref _session._lease, lease);
        }

        /// <summary>Ends <paramref name="lease"/> (released): nothing is held anymore. A lease not held is left alone.</summary>
        public void End(QuiesceLease lease)
        {
            if (ReferenceEquals(Lease, lease)) Volatile.Write(ref _session._lease, null);
        }

        /// <summary>The lease a previous worker left on disk was looked for (once per process and VM, once the monitor was held).</summary>
        public bool LeftLeaseLookedFor
        {
            get
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _released) == 1, this);
                return _session._leaseLookedFor;
            }
        }

        /// <summary>Records that the lease a previous worker left was looked for.</summary>
        public void MarkLeftLeaseLookedFor()
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _released) == 1, this);
            _session._leaseLookedFor = true;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) _session._quiesceGate.Release();
        }
    }
}
