<#
.SYNOPSIS
    Optional watchdog: restarts the Windows service when it runs but no longer answers /livez.

.DESCRIPTION
    The Service Control Manager restarts the service when its process exits; it cannot see a process that is
    alive but hung. This script covers that case. Run with -Register once (as Administrator) to install it as
    a scheduled task that runs every minute as SYSTEM; each run then probes
    http://127.0.0.1:<Port>/livez and, after -Attempts failed probes in a row, restarts the service
    (a graceful stop first, the process killed if it does not stop within -StopTimeoutSeconds).
    It leaves a stopped service alone (an operator stopped it, or recovery gave up after three failures)
    and a service that started less than -StartupGraceSeconds ago. Each restart is logged as a warning
    in the Application Event Log under the service's source.

.PARAMETER Name
    Service name given to install.ps1.

.PARAMETER Port
    Port the service listens on.

.PARAMETER EventLogSource
    Event Log source to write restarts under. Default: the service name.

.PARAMETER Attempts
    Failed probes in a row (5 s apart) before the service is restarted.

.PARAMETER StartupGraceSeconds
    A service process younger than this is not probed.

.PARAMETER StopTimeoutSeconds
    How long a graceful stop may take before the process is killed; above the drain budget (5 + 25 s).

.PARAMETER Register
    Install (or update) the scheduled task "<Name> watchdog" instead of probing now.

.PARAMETER Unregister
    Remove the scheduled task.

.EXAMPLE
    .\watchdog.ps1 -Name Service -Port 8080 -Register
#>
[CmdletBinding(DefaultParameterSetName = 'Probe')]
param(
    [ValidatePattern('^[A-Za-z0-9_.-]{1,80}$')]
    [string] $Name = 'Company.Service1',

    [ValidateRange(1, 65535)]
    [int] $Port = 8080,

    [string] $EventLogSource = $Name,

    [ValidateRange(1, 10)]
    [int] $Attempts = 3,

    [ValidateRange(0, 3600)]
    [int] $StartupGraceSeconds = 120,

    [ValidateRange(1, 600)]
    [int] $StopTimeoutSeconds = 60,

    [Parameter(ParameterSetName = 'Register')]
    [switch] $Register,

    [Parameter(ParameterSetName = 'Unregister')]
    [switch] $Unregister
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$taskName = "$Name watchdog"

function Test-Live {
    try {
        $response = Invoke-WebRequest -Uri "http://127.0.0.1:$Port/livez" -UseBasicParsing -TimeoutSec 5
        return ($response.StatusCode -ge 200 -and $response.StatusCode -lt 300)
    }
    catch {
        return $false
    }
}

function Write-WatchdogWarning([string] $Message) {
    Write-Warning $Message
    if ([System.Diagnostics.EventLog]::SourceExists($EventLogSource)) {
        [System.Diagnostics.EventLog]::WriteEntry($EventLogSource, $Message, [System.Diagnostics.EventLogEntryType]::Warning, 1001)
    }
}

if ($Register) {
    # A stable copy: the task must not depend on where the repository or the release zip happens to be.
    $watchdogHome = Join-Path $env:ProgramData $Name
    New-Item -ItemType Directory -Path $watchdogHome -Force | Out-Null
    $script = Join-Path $watchdogHome 'watchdog.ps1'
    Copy-Item -LiteralPath $PSCommandPath -Destination $script -Force
    $arguments = "-NoProfile -NonInteractive -ExecutionPolicy Bypass -File `"$script`" -Name $Name -Port $Port " +
        "-EventLogSource $EventLogSource -Attempts $Attempts -StartupGraceSeconds $StartupGraceSeconds -StopTimeoutSeconds $StopTimeoutSeconds"
    $action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument $arguments
    $trigger = New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Minutes 1)
    $principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest
    $settings = New-ScheduledTaskSettingsSet -MultipleInstances IgnoreNew -ExecutionTimeLimit (New-TimeSpan -Minutes 5) -StartWhenAvailable
    Register-ScheduledTask -TaskName $taskName -Action $action -Trigger $trigger -Principal $principal -Settings $settings -Force | Out-Null
    Write-Host "Registered scheduled task '$taskName' (every minute, probes http://127.0.0.1:$Port/livez)"
    return
}

if ($Unregister) {
    Get-ScheduledTask -TaskName $taskName -ErrorAction SilentlyContinue | Unregister-ScheduledTask -Confirm:$false
    Write-Host "Removed scheduled task '$taskName'"
    return
}

$service = Get-CimInstance -ClassName Win32_Service -Filter "Name='$Name'"
if (-not $service -or $service.State -ne 'Running' -or -not $service.ProcessId) {
    return
}

$process = Get-Process -Id $service.ProcessId -ErrorAction SilentlyContinue
if (-not $process -or ((Get-Date) - $process.StartTime).TotalSeconds -lt $StartupGraceSeconds) {
    return
}

for ($attempt = 1; $attempt -le $Attempts; $attempt++) {
    if (Test-Live) { return }
    if ($attempt -lt $Attempts) { Start-Sleep -Seconds 5 }
}

Write-WatchdogWarning "$Name did not answer http://127.0.0.1:$Port/livez $Attempts times in a row: restarting it."
Stop-Service -Name $Name -Force -NoWait
try {
    (Get-Service -Name $Name).WaitForStatus('Stopped', [TimeSpan]::FromSeconds($StopTimeoutSeconds))
}
catch {
    Write-WatchdogWarning "$Name did not stop within $StopTimeoutSeconds s: killing process $($service.ProcessId)."
    Stop-Process -Id $service.ProcessId -Force
    (Get-Service -Name $Name).WaitForStatus('Stopped', [TimeSpan]::FromSeconds(30))
}
Start-Service -Name $Name
