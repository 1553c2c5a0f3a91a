// The project's own namespaces, imported once here instead of in each file: a service generated under
// another name (dotnet new -n) then keeps every file's import order as dotnet format wants it.
global using Company.Service1.Browser.Tests.Infrastructure;
global using Company.Service1.Testing;
global using Microsoft.Playwright;
global using static Microsoft.Playwright.Assertions;
