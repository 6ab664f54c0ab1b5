// Real Kestrel servers on RabbitMQ and PostgreSQL on a small shared machine: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
