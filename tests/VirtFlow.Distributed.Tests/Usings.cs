// What every scenario of this project uses (one place instead of the same lines at the top of each file).
global using VirtFlow.Distributed.Tests.Support;
global using VirtFlow.Engine.Storage;
global using VirtFlow.Qmp;
global using VirtFlow.Testing;
global using Xunit.Abstractions;
global using static VirtFlow.Distributed.Tests.Support.TestWorkflows;
