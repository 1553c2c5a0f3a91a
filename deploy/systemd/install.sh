#!/usr/bin/env bash
# Installs (or upgrades in place) the service as a systemd unit, or removes it with --uninstall.
#
#   sudo deploy/systemd/install.sh PUBLISH_DIR   # copy PUBLISH_DIR to /opt/company-service1, install unit + env file, start
#   sudo deploy/systemd/install.sh --uninstall   # stop, disable, remove unit and binaries (keeps /etc/company-service1)
#
# PUBLISH_DIR is the output of `dotnet publish` (self-contained or Native AOT: the unit runs /opt/company-service1/Company.Service1
# directly). Running it again upgrades in place: the unit is stopped (it drains), the files are replaced, and it
# starts again. An existing /etc/company-service1/company-service1.env is never overwritten. A framework-dependent publish also
# works when the .NET runtime is installed system-wide.
set -euo pipefail

unit_name=company-service1
# These paths are also in company-service1.service (ExecStart, WorkingDirectory, EnvironmentFile).
install_dir=/opt/company-service1
config_dir=/etc/company-service1
unit_dir=/etc/systemd/system
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() {
  echo "install.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

require_root() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (try: sudo $0 $*)"
}

uninstall() {
  if systemctl list-unit-files "$unit_name.service" >/dev/null 2>&1; then
    systemctl disable --now "$unit_name.service" 2>/dev/null || true
  fi
  rm -f "$unit_dir/$unit_name.service"
  systemctl daemon-reload
  systemctl reset-failed "$unit_name.service" 2>/dev/null || true
  rm -rf "$install_dir"
  echo "install.sh: removed $unit_name.service and $install_dir (configuration kept in $config_dir)"
}

install() {
  local publish_dir=$1
  [[ -d $publish_dir ]] || die "publish folder '$publish_dir' not found"
  [[ -x $publish_dir/Company.Service1 ]] || die "'$publish_dir/Company.Service1' is missing or not executable: pass the output of dotnet publish"

  if systemctl is-active --quiet "$unit_name.service"; then
    echo "install.sh: stopping $unit_name.service (it drains first)"
    systemctl stop "$unit_name.service"
  fi

  # Replace the files as a whole so a removed file from the old version cannot linger.
  mkdir -p "$(dirname "$install_dir")"
  rm -rf "$install_dir.new"
  cp -a "$publish_dir/." "$install_dir.new/"
  chmod -R u=rwX,go=rX "$install_dir.new"
  rm -rf "$install_dir"
  mv "$install_dir.new" "$install_dir"

  install -d -m 0755 "$config_dir"
  if [[ ! -e $config_dir/company-service1.env ]]; then
    install -m 0640 "$here/company-service1.env" "$config_dir/company-service1.env"
  fi

  install -m 0644 "$here/company-service1.service" "$unit_dir/$unit_name.service"
  systemctl daemon-reload
  systemctl enable --now "$unit_name.service"
  echo "install.sh: $unit_name.service is $(systemctl is-active "$unit_name.service"); logs: journalctl -u $unit_name -o cat"
}

case ${1:-} in
  -h | --help)
    usage
    ;;
  --uninstall)
    require_root "$@"
    uninstall
    ;;
  "")
    usage >&2
    exit 2
    ;;
  *)
    require_root "$@"
    install "$1"
    ;;
esac
