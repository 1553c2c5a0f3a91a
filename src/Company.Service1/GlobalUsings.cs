// The project's own namespaces, imported once here instead of in each file: a service generated under
// another name (dotnet new -n) then keeps every file's import order as dotnet format wants it.
global using Company.Service1.Platform;
global using Company.Service1.Platform.Authentication;
global using Company.Service1.Platform.Configuration;
//#if (postgres)
global using Company.Service1.Platform.Database;
//#endif
global using Company.Service1.Platform.Drills;
global using Company.Service1.Platform.Errors;
global using Company.Service1.Platform.Health;
global using Company.Service1.Platform.Hosting;
global using Company.Service1.Platform.Json;
global using Company.Service1.Platform.Logging;
global using Company.Service1.Platform.Metrics;
global using Company.Service1.Platform.OpenApi;
global using Company.Service1.Platform.RateLimiting;
global using Company.Service1.Platform.Shutdown;
global using Company.Service1.Platform.StatusPage;
global using Company.Service1.Platform.Telemetry;
global using Company.Service1.Platform.Version;
//#if (sample)
global using Company.Service1.Todos;
//#endif
