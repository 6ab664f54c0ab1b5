// Real QEMU VMs (and a booted guest) on a small machine: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
