// One browser, real servers, RabbitMQ and QEMU on a small shared machine: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
