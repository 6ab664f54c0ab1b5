namespace VirtFlow.Engine.Tests.Definitions;

/// <summary>Workflow texts shared by the definition tests.</summary>
internal static class Samples
{
    /// <summary>Every construct of the format, valid against <see cref="TestCatalog"/>.</summary>
    public const string AllConstructs = """
        name: migrate-disks
        version: 2
        description: Copy every disk, wait until all are in sync, then pivot.
        inputs:
          vm: string
          disks:
            type: array
            required: true
            items: { type: string }
          mode:
            type: string
            default: full
            enum: [full, top]
          settle: { type: duration, default: 30s }
        outputs:
          jobs: ${ steps.mirror.outputs.jobs }
          summary: "vm ${ inputs.vm } done"
        triggers:
          - type: message
            messageType: StartMigration
          - { type: schedule, cron: "0 0 3 * * ?" }
          - type: manual
        variables:
          attempts: 0
          label: first
        steps:
          - type: log
            with:
              message: "starting ${ inputs.vm }"
          - id: mirror
            type: vm.mirror
            name: Mirror all disks
            if: ${ inputs.disks.length > 0 }
            timeout: 1h30m
            retry: { maxAttempts: 3, delay: 10s, backoff: 1.5 }
            continueOnError: false
            with:
              vm: ${ inputs.vm }
              disks: ${ inputs.disks }
              mode: top
          - type: sequence
            steps:
              - type: delay
                with: { duration: 5s }
          - type: parallel
            branches:
              - - type: log
                  with: { message: left }
              - steps:
                  - type: log
                    with: { message: right }
          - id: each
            type: forEach
            items: ${ inputs.disks }
            as: disk
            maxParallelism: 4
            steps:
              - type: log
                with: { message: "disk ${ disk } at ${ diskIndex }" }
          - type: if
            condition: ${ steps.mirror.status === 'Completed' }
            then:
              - type: log
                with: { message: ok }
            else:
              - type: fail
                with: { message: mirror failed }
          - type: switch
            value: ${ inputs.mode }
            cases:
              - value: full
                steps:
                  - type: log
                    with: { message: full }
              - value: top
                steps: []
            default:
              - type: log
                with: { message: other }
          - type: while
            condition: ${ vars.attempts < 3 }
            maxIterations: 10
            steps:
              - type: script
                with:
                  code: |
                    vars.attempts = vars.attempts + 1;
                    return iteration;
          - type: try
            steps:
              - type: waitEvent
                with: { event: ready, correlation: "${ instance.id }", timeout: 5m, onTimeout: continue }
            catch:
              - type: log
                with: { message: "${ error.message }", level: warning }
            finally:
              - type: setVariable
                with: { name: done, value: true }
        """;
}
