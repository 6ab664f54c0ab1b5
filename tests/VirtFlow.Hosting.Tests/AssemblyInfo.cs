// Real QEMU VMs, real virtflow processes killed mid-flight, PostgreSQL and RabbitMQ on a small machine: one test at a
// time keeps the timings (leases, timers) far from the limits.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
