#!/usr/bin/env python3
"""Cold-start timing: spawns a binary N times and measures the time from exec to the first 200 on /readyz.

Usage: startup.py EXECUTABLE RUNS PORT
Prints: "<median ms> <min ms> <max ms> <idle RSS MiB>" (RSS of the last run, one second after it became ready).
The environment is passed through (set ConnectionStrings__Postgres etc. before calling).
Polls every 2 ms on a fresh connection, so the measurement adds at most ~2 ms.
"""
import http.client
import os
import signal
import statistics
import subprocess
import sys
import time


def wait_ready(port: int, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/readyz")
            if connection.getresponse().status == 200:
                return True
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.002)
    return False


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    executable, runs, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    env = dict(os.environ, ASPNETCORE_HTTP_PORTS=str(port), Drain__DelaySeconds="0", Authentication__Disabled="true")
    timings, idle = [], 0.0
    for _ in range(runs):
        started = time.monotonic()
        process = subprocess.Popen([executable], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if not wait_ready(port, started + 30):
                print("startup: never became ready", file=sys.stderr)
                return 1
            timings.append((time.monotonic() - started) * 1000)
            time.sleep(1)
            idle = rss_mib(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    print(f"{statistics.median(timings):.0f} {min(timings):.0f} {max(timings):.0f} {idle:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
