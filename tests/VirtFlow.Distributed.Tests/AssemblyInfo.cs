// Real RabbitMQ, PostgreSQL, QEMU and virtflow processes killed mid-flight on a small machine: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
