using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using VirtFlow.Contracts;
using VirtFlow.HostWorker.Messaging;

namespace VirtFlow.HostWorker.Tests;

/// <summary>
/// <see cref="HostCommandTable"/> (in the contracts) is the one list of the worker's commands: each has a handler answering
/// the table's result type, and a consumer on the host queue; the worker runs nothing the table lacks.
/// </summary>
public sealed class When_the_command_table_is_read
{
    private static readonly string[] TableNames = [.. HostCommandTable.All.Select(k => k.Name)];

    [Fact]
    public void Every_command_has_one_handler_answering_the_tables_result_and_no_handler_is_left_over()
    {
        var handlers = typeof(HandlerTable).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false })
            .Select(t => (Handler: t, Args: HandlerArguments(t)))
            .Where(h => h.Args is not null)
            .ToList();
        Assert.Equal(TableNames, handlers.Select(h => h.Args![0].Name).Order(StringComparer.Ordinal));
        foreach (var (handler, args) in handlers)
        {
            var entry = HostCommandTable.Of(args![0]);
            Assert.NotNull(entry);
            Assert.True(entry.Result == args[1], $"{handler.Name} answers {args[1].Name}; HostCommandTable says {entry.Result.Name}");
        }
        Assert.Equal(TableNames, HandlerTable.CommandTypes.Select(t => t.Name));
    }

    [Fact]
    public void Every_command_has_a_consumer_on_the_host_queue()
    {
        var services = new ServiceCollection();
        services.AddMassTransit(bus =>
        {
            bus.AddVirtFlowHostWorker(o => o.HostId = "table1");
            bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        var consumers = services.Select(d => d.ImplementationType ?? d.ServiceType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(HostCommandConsumer<>))
            .Select(t => t.GetGenericArguments()[0].Name)
            .Distinct()
            .Order(StringComparer.Ordinal);
        Assert.Equal(TableNames, consumers);
    }

    [Fact]
    public void Every_result_type_is_a_contract_of_its_own_or_the_raw_reply()
    {
        Assert.All(HostCommandTable.All, k =>
        {
            Assert.True(k.Command.IsSubclassOf(typeof(HostCommand)), k.Name);
            Assert.True(k.Result.Namespace == typeof(HostCommand).Namespace || k.Command == typeof(RawQmp), $"{k.Name} answers {k.Result.FullName}");
        });
        Assert.Equal(HostCommandTable.All.Count, HostCommandTable.ByName.Count);
    }

    private static Type[]? HandlerArguments(Type handler)
    {
        for (var t = handler.BaseType; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(HostCommandHandler<,>))
                return t.GetGenericArguments();
        return null;
    }
}
