// Real VMs under TCG on a 2-core host: at most two test collections at once.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
