// The project's own namespaces, imported once here instead of in each file: a service generated under
// another name (dotnet new -n) then keeps every file's import order as dotnet format wants it.
global using Company.Service1.Platform.Configuration;
//#if (postgres)
global using Company.Service1.Platform.Database;
//#endif
global using Company.Service1.Platform.Hosting;
global using Company.Service1.Platform.Logging;
global using Company.Service1.Platform.Shutdown;
global using Company.Service1.Platform.Telemetry;
global using Company.Service1.Platform.Version;
global using Company.Service1.Testing;
global using Company.Service1.Tests.Infrastructure;
//#if (sample)
global using Company.Service1.Todos;
//#endif
