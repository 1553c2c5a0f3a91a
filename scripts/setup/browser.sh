#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed: the browser tests drive it headless through Playwright, which is told
# never to download a browser of its own. fonts-dejavu-core gives the page's text real glyphs in the screenshots.
set -euo pipefail

if [[ -x /usr/bin/chromium ]] && fc-list 2>/dev/null | grep -qi dejavu; then
  exit 0
fi

echo "setup: installing Chromium from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
# Another installer may hold the dpkg lock for a while on a shared machine: wait for it instead of failing.
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium fonts-dejavu-core fontconfig >/dev/null
