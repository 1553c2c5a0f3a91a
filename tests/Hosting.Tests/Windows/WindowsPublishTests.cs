namespace Company.Service1.Hosting.Tests.Windows;

/// <summary>
/// The Windows build, made on this Linux machine: `dotnet publish -r win-x64` must succeed and carry what the
/// Windows service host needs. (Native AOT for win-x64 needs the Windows linker, so it cannot be built here.)
/// </summary>
public sealed class WindowsPublishTests
{
    [Fact]
    public async Task The_win_x64_publish_produces_a_Windows_executable_with_the_service_host()
    {
        var output = Directory.CreateTempSubdirectory("publish-win-x64-");
        try
        {
            var project = Path.Combine(PublishedService.RepositoryRoot(), "src", "Company.Service1", "Company.Service1.csproj");
            var publish = Path.Combine(output.FullName, "publish");
            // Its own obj/ and bin/ (--artifacts-path): a win-x64 restore must not rewrite src/Company.Service1/obj while
            // other tests build or publish the same project for Linux.
            await ProcessRunner.RunCheckedAsync("dotnet", ["publish", project, "-c", "Release", "-r", "win-x64", "--self-contained", "false",
                "--artifacts-path", Path.Combine(output.FullName, "artifacts"), "-o", publish, "--nologo"], TimeSpan.FromMinutes(8));

            var exe = Path.Combine(publish, "Company.Service1.exe");
            var header = new byte[2];
            await using (var file = File.OpenRead(exe))
            {
                await file.ReadExactlyAsync(header);
            }

            var serviceHost = File.Exists(Path.Combine(publish, "Microsoft.Extensions.Hosting.WindowsServices.dll"));
            var serviceController = File.Exists(Path.Combine(publish, "System.ServiceProcess.ServiceController.dll"));
            Assert.Equal(("MZ", true, true), (System.Text.Encoding.ASCII.GetString(header), serviceHost, serviceController));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
