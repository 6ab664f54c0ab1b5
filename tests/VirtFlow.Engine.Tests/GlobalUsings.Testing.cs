global using VirtFlow.Testing;
