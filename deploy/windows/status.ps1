<#
.SYNOPSIS
    Shows how the Windows service is installed and whether it is healthy.

.DESCRIPTION
    Prints the service state, start type, account and recovery settings as the Service Control Manager holds
    them, asks the running service for /livez and /readyz, and lists its latest Event Log entries.
    Exits 0 when the service is running and live, 1 otherwise, so it can be used from monitoring.

.PARAMETER Name
    Service name given to install.ps1.

.PARAMETER Port
    Port the service listens on.

.PARAMETER EventLogSource
    Event Log source the service writes under. Default: the service name.

.PARAMETER Events
    How many recent Event Log entries to show.

.EXAMPLE
    .\status.ps1 -Name Service -Port 8080
#>
[CmdletBinding()]
param(
    [ValidatePattern('^[A-Za-z0-9_.-]{1,80}$')]
    [string] $Name = 'Company.Service1',

    [ValidateRange(1, 65535)]
    [int] $Port = 8080,

    [string] $EventLogSource = $Name,

    [ValidateRange(0, 100)]
    [int] $Events = 10
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Get-ProbeStatus([string] $Path) {
    try {
        $response = Invoke-WebRequest -Uri "http://127.0.0.1:$Port$Path" -UseBasicParsing -TimeoutSec 5
        return [int] $response.StatusCode
    }
    catch [System.Net.WebException] {
        if ($_.Exception.Response) { return [int] $_.Exception.Response.StatusCode }
        return 0
    }
    catch {
        # PowerShell 7 reports HTTP errors as HttpResponseException.
        $response = $_.Exception.PSObject.Properties['Response']
        if ($response -and $response.Value) { return [int] $response.Value.StatusCode }
        return 0
    }
}

$service = Get-CimInstance -ClassName Win32_Service -Filter "Name='$Name'"
if (-not $service) {
    Write-Host "No service named $Name is installed."
    exit 1
}

# Names only: the values may hold secrets such as a connection string.
$stored = Get-ItemProperty -Path "HKLM:\SYSTEM\CurrentControlSet\Services\$Name" -Name Environment -ErrorAction SilentlyContinue
$configured = if ($stored) { ($stored.Environment | ForEach-Object { $_.Split('=')[0] }) -join ', ' } else { '(none)' }

$live = if ($service.State -eq 'Running') { Get-ProbeStatus '/livez' } else { 0 }
$ready = if ($service.State -eq 'Running') { Get-ProbeStatus '/readyz' } else { 0 }

[pscustomobject] @{
    Name       = $service.Name
    State      = $service.State
    StartMode  = $service.StartMode + $(if ($service.DelayedAutoStart) { ' (Delayed Start)' } else { '' })
    Account    = $service.StartName
    ProcessId  = $service.ProcessId
    Binary     = $service.PathName
    Settings   = $configured
    Livez      = if ($live) { $live } else { 'no answer' }
    Readyz     = if ($ready) { $ready } else { 'no answer' }
} | Format-List

Write-Host 'Recovery (sc.exe qfailure):'
& sc.exe qfailure $Name | Select-Object -Skip 2 | ForEach-Object { Write-Host "  $_" }

if ($Events -gt 0) {
    # Get-WinEvent rather than EventLog.SourceExists, which needs administrator rights to scan every log.
    $entries = @(Get-WinEvent -FilterHashtable @{ LogName = 'Application'; ProviderName = $EventLogSource } -MaxEvents $Events -ErrorAction SilentlyContinue)
    if ($entries.Count -gt 0) {
        Write-Host "Latest Event Log entries from ${EventLogSource}:"
        $entries | Format-Table -AutoSize -Wrap TimeCreated, LevelDisplayName, Message
    }
    else {
        Write-Host "No Event Log entries from $EventLogSource (warnings and errors only)."
    }
}

if ($service.State -eq 'Running' -and $live -ge 200 -and $live -lt 300) { exit 0 }
exit 1
