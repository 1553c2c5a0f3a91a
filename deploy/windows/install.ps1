<#
.SYNOPSIS
    Installs the service as a Windows service, or updates an existing installation in place.

.DESCRIPTION
    Copies a `dotnet publish -r win-x64` folder to the install directory and creates (or reconfigures) the
    Windows service with the settings documented in docs/hosting.md:
      - start type Automatic (Delayed Start), depends on Tcpip;
      - runs as the virtual account NT SERVICE\<Name> (or the low-privilege account given in -Account);
      - recovery: restart after 10 s, three times, failure count reset after 60 s, also on non-crash failures;
      - inbound firewall rule for the TCP port; Event Log source for warnings and errors;
      - environment (port, Event Log source, your -Environment entries) in the service's own registry key.
    Running it again is safe: an existing service is stopped (it drains first), its files replaced, its
    configuration rewritten, and it is started again. Works in Windows PowerShell 5.1 and PowerShell 7.

.PARAMETER PublishDirectory
    The output of `dotnet publish src/Company.Service1 -c Release -r win-x64`; must contain Company.Service1.exe.

.PARAMETER Name
    Service name; also names the virtual account, the firewall rule and (by default) the Event Log source.

.PARAMETER InstallDirectory
    Where the binaries go. Default: "$env:ProgramFiles\<Name>".

.PARAMETER Account
    Account the service runs as. Default: the virtual account "NT SERVICE\<Name>". Any passwordless account
    works, e.g. 'NT AUTHORITY\LocalService' or a group managed service account 'DOMAIN\svc-name$'.

.PARAMETER Port
    TCP port the service listens on (ASPNETCORE_HTTP_PORTS) and the firewall rule opens.

.PARAMETER EventLogSource
    Event Log source (Application log) the service writes warnings and errors under.

.PARAMETER Environment
    Extra configuration as environment variables, e.g.
    @{ 'ConnectionStrings__Postgres' = 'Host=db;Database=service;Username=service;Password=...' }.
    Stored in the service's registry key (the service's environment only, not machine-wide; readable by
    local users like any service key). On an upgrade,
    entries stored earlier are kept unless -ResetEnvironment is given; entries passed here replace them.

.PARAMETER ResetEnvironment
    Drop the environment entries stored by an earlier install before applying -Environment.

.PARAMETER NoFirewallRule
    Do not create the inbound firewall rule (e.g. when only a local reverse proxy talks to the service).

.EXAMPLE
    .\install.ps1 -PublishDirectory C:\build\publish

.EXAMPLE
    .\install.ps1 -PublishDirectory .\publish -Name todo-api -Port 5080 -Environment @{ 'Database__MigrateOnStartup' = 'true' }
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string] $PublishDirectory,

    [ValidatePattern('^[A-Za-z0-9_.-]{1,80}$')]
    [string] $Name = 'Company.Service1',

    [string] $InstallDirectory = (Join-Path $env:ProgramFiles $Name),

    [string] $Account = "NT SERVICE\$Name",

    [ValidateRange(1, 65535)]
    [int] $Port = 8080,

    [string] $EventLogSource = $Name,

    [hashtable] $Environment = @{},

    [switch] $ResetEnvironment,

    [switch] $NoFirewallRule
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Invoke-Sc {
    # sc.exe reports failures only through its exit code; make them terminating errors. (Windows PowerShell
    # would turn a native program's stderr into errors under 'Stop', so this call judges by the exit code.)
    $ErrorActionPreference = 'Continue'
    $output = & sc.exe @args 2>&1
    if ($LASTEXITCODE -ne 0) {
        throw "sc.exe $($args -join ' ') failed with exit code ${LASTEXITCODE}: $($output -join ' ')"
    }
}

function Assert-Administrator {
    $identity = [Security.Principal.WindowsIdentity]::GetCurrent()
    $principal = New-Object Security.Principal.WindowsPrincipal($identity)
    if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
        throw 'install.ps1 must run as Administrator: open PowerShell with "Run as administrator" and try again.'
    }
}

function Assert-PortFree([int] $LocalPort) {
    $listeners = @(Get-NetTCPConnection -LocalPort $LocalPort -State Listen -ErrorAction SilentlyContinue)
    if ($listeners.Count -gt 0) {
        $owner = Get-Process -Id $listeners[0].OwningProcess -ErrorAction SilentlyContinue
        $who = if ($owner) { "$($owner.ProcessName) (PID $($owner.Id))" } else { "PID $($listeners[0].OwningProcess)" }
        throw "Port $LocalPort is already in use by $who. Stop that program or choose another port with -Port."
    }
}

function Stop-ServiceAndWait([string] $ServiceName) {
    $existing = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
    if ($existing -and $existing.Status -ne 'Stopped') {
        Write-Host "Stopping $ServiceName (it finishes in-flight requests first)..."
        Stop-Service -Name $ServiceName -Force
        $existing.WaitForStatus('Stopped', [TimeSpan]::FromSeconds(60))
    }
}

Assert-Administrator

$source = Join-Path $PublishDirectory 'Company.Service1.exe'
if (-not (Test-Path -LiteralPath $source -PathType Leaf)) {
    throw "Company.Service1.exe not found in '$PublishDirectory': pass the output of 'dotnet publish src/Company.Service1 -c Release -r win-x64'."
}

$PublishDirectory = (Resolve-Path -LiteralPath $PublishDirectory).ProviderPath
if ($PublishDirectory.TrimEnd('\') -eq [IO.Path]::GetFullPath($InstallDirectory).TrimEnd('\')) {
    throw "-PublishDirectory is the install directory itself; publish to another folder (the install directory is replaced)."
}

$service = Get-Service -Name $Name -ErrorAction SilentlyContinue
Stop-ServiceAndWait $Name
Assert-PortFree $Port

# Binaries: replace the whole folder so files dropped by a new version do not linger.
if (Test-Path -LiteralPath $InstallDirectory) {
    Remove-Item -LiteralPath $InstallDirectory -Recurse -Force
}
New-Item -ItemType Directory -Path $InstallDirectory -Force | Out-Null
Copy-Item -Path (Join-Path $PublishDirectory '*') -Destination $InstallDirectory -Recurse -Force
$binary = Join-Path $InstallDirectory 'Company.Service1.exe'
# Quoted, so a path with spaces cannot be hijacked (C:\Program.exe).
$binaryPath = '"' + $binary + '"'

if (-not $service) {
    Write-Host "Creating service $Name"
    New-Service -Name $Name -BinaryPathName $binaryPath -DisplayName $Name -StartupType Automatic `
        -Description 'ASP.NET Core microservice (docs/hosting.md)' | Out-Null
}
else {
    Write-Host "Updating service $Name"
    $result = Get-CimInstance -ClassName Win32_Service -Filter "Name='$Name'" |
        Invoke-CimMethod -MethodName Change -Arguments @{ PathName = $binaryPath }
    if ($result.ReturnValue -ne 0) { throw "Could not update the binary path of ${Name}: Win32_Service.Change returned $($result.ReturnValue)." }
}

# Start type, dependency and account; the same call for a new and an existing service.
Invoke-Sc config $Name start= delayed-auto depend= Tcpip obj= $Account
# Recovery: restart 10 s after each failure, at most three times; the count resets after 60 s without a failure.
# failureflag 1 also applies it when the process exits with a non-zero code rather than crashing.
Invoke-Sc failure $Name reset= 60 actions= restart/10000/restart/10000/restart/10000
Invoke-Sc failureflag $Name 1

# The service account only needs to read and run its own files (the virtual account exists once the service does).
$grant = & { $ErrorActionPreference = 'Continue'; & icacls.exe $InstallDirectory /grant "${Account}:(OI)(CI)RX" /T /Q 2>&1 }
if ($LASTEXITCODE -ne 0) { throw "Could not grant $Account read access to ${InstallDirectory}: $($grant -join ' ')" }

# Event Log source for warnings and errors (creating one needs administrator rights, so the installer does it).
if (-not [System.Diagnostics.EventLog]::SourceExists($EventLogSource)) {
    [System.Diagnostics.EventLog]::CreateEventSource($EventLogSource, 'Application')
}

# Configuration the service reads as environment variables, private to this service. An upgrade keeps what an
# earlier install stored (a connection string, say) unless told otherwise.
$serviceKey = "HKLM:\SYSTEM\CurrentControlSet\Services\$Name"
$variables = @{}
$stored = (Get-ItemProperty -Path $serviceKey -Name Environment -ErrorAction SilentlyContinue)
if ($stored -and -not $ResetEnvironment) {
    foreach ($entry in $stored.Environment) {
        $separator = $entry.IndexOf('=')
        if ($separator -gt 0) { $variables[$entry.Substring(0, $separator)] = $entry.Substring($separator + 1) }
    }
}
$variables['ASPNETCORE_ENVIRONMENT'] = 'Production'
$variables['ASPNETCORE_HTTP_PORTS'] = "$Port"
$variables['EventLog__SourceName'] = $EventLogSource
foreach ($key in $Environment.Keys) { $variables[$key] = [string] $Environment[$key] }
$entries = [string[]] @($variables.Keys | Sort-Object | ForEach-Object { "$_=$($variables[$_])" })
Set-ItemProperty -Path $serviceKey -Name Environment -Type MultiString -Value $entries

if (-not $NoFirewallRule) {
    $ruleName = "$Name (TCP $Port)"
    Get-NetFirewallRule -Group $Name -ErrorAction SilentlyContinue | Remove-NetFirewallRule
    New-NetFirewallRule -Name $ruleName -DisplayName $ruleName -Group $Name -Direction Inbound -Protocol TCP `
        -LocalPort $Port -Action Allow -Program $binary | Out-Null
}

Start-Service -Name $Name
(Get-Service -Name $Name).WaitForStatus('Running', [TimeSpan]::FromSeconds(60))
Write-Host "$Name is running on port $Port as $Account. Check it with .\status.ps1 -Name $Name -Port $Port"
