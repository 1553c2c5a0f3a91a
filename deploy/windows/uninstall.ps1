<#
.SYNOPSIS
    Removes the Windows service that install.ps1 created.

.DESCRIPTION
    Stops the service (it drains first), deletes it, removes its firewall rule and watchdog task, its binaries
    and, unless -KeepEventLogSource is given, its Event Log source. Running it when nothing is installed is
    not an error.

.PARAMETER Name
    Service name given to install.ps1.

.PARAMETER InstallDirectory
    Folder install.ps1 copied the binaries to. Default: "$env:ProgramFiles\<Name>".

.PARAMETER EventLogSource
    Event Log source install.ps1 registered. Default: the service name.

.PARAMETER KeepEventLogSource
    Keep the Event Log source so past entries still display their messages.

.EXAMPLE
    .\uninstall.ps1 -Name Service
#>
[CmdletBinding()]
param(
    [ValidatePattern('^[A-Za-z0-9_.-]{1,80}$')]
    [string] $Name = 'Company.Service1',

    [string] $InstallDirectory = (Join-Path $env:ProgramFiles $Name),

    [string] $EventLogSource = $Name,

    [switch] $KeepEventLogSource
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    throw 'uninstall.ps1 must run as Administrator: open PowerShell with "Run as administrator" and try again.'
}

$service = Get-Service -Name $Name -ErrorAction SilentlyContinue
if ($service) {
    if ($service.Status -ne 'Stopped') {
        Write-Host "Stopping $Name (it finishes in-flight requests first)..."
        Stop-Service -Name $Name -Force
        $service.WaitForStatus('Stopped', [TimeSpan]::FromSeconds(60))
    }
    $output = & { $ErrorActionPreference = 'Continue'; & sc.exe delete $Name 2>&1 }
    if ($LASTEXITCODE -ne 0) { throw "sc.exe delete $Name failed with exit code ${LASTEXITCODE}: $($output -join ' ')" }
    Write-Host "Deleted service $Name"
}
else {
    Write-Host "No service named $Name"
}

Get-NetFirewallRule -Group $Name -ErrorAction SilentlyContinue | Remove-NetFirewallRule
Get-ScheduledTask -TaskName "$Name watchdog" -ErrorAction SilentlyContinue | Unregister-ScheduledTask -Confirm:$false

if (Test-Path -LiteralPath $InstallDirectory) {
    Remove-Item -LiteralPath $InstallDirectory -Recurse -Force
    Write-Host "Removed $InstallDirectory"
}

if (-not $KeepEventLogSource -and [System.Diagnostics.EventLog]::SourceExists($EventLogSource)) {
    [System.Diagnostics.EventLog]::DeleteEventSource($EventLogSource)
    Write-Host "Removed Event Log source $EventLogSource"
}
