#!/usr/bin/env bash
# Builds local stand-ins for the official .NET base images, for machines that cannot pull from a registry
# (air-gapped builders, and our CI, where no registry answers). Each mimics its official counterpart's user model
# and layout, so the Dockerfile works unchanged on either:
#
#   runtime-deps  like mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled: only the shared libraries
#                 .NET needs (libc, libgcc, libstdc++, libssl, zlib) and CA certificates; no shell, no package
#                 manager; user and group `app` (1654); ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080.
#   aspnet        like .../aspnet:10.0-noble-chiseled: runtime-deps plus this machine's .NET host and shared
#                 frameworks (dotnet, host/, shared/) in /usr/share/dotnet; tagged with the ASP.NET Core version.
#   sdk           like .../sdk:10.0: a full Debian userland with this machine's whole .NET install, gcc and
#                 zlib1g-dev for Native AOT, and this machine's NuGet configuration (sources, CA certificates,
#                 NUGET_* settings) so `dotnet restore` inside `docker build --network host` reaches the same feed;
#                 tagged with the SDK version.
#
# The userland comes from `debootstrap` against the Debian mirror apt is configured with. Everything is cached:
# an existing image is kept (LOCAL_BASES_REBUILD=1 rebuilds), and the debootstrap tree is kept as a tarball under
#   ${XDG_CACHE_HOME:-$HOME/.cache}/dotnet-service-template/bases/
# Prints the three image names as shell assignments (RUNTIME_DEPS_IMAGE=..., ASPNET_IMAGE=..., SDK_IMAGE=...),
# which scripts/images/build.sh reads.
set -euo pipefail

prefix="${LOCAL_BASES_PREFIX:-dotnet-service-template/local-dotnet}"
dotnet_root="${DOTNET_ROOT:-/usr/share/dotnet}"
latest() { find "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1; }
runtime_version="$(latest "$dotnet_root/shared/Microsoft.NETCore.App")"
aspnet_version="$(latest "$dotnet_root/shared/Microsoft.AspNetCore.App")"
sdk_version="$(latest "$dotnet_root/sdk")"
[[ -n "$runtime_version" && -n "$aspnet_version" && -n "$sdk_version" ]] || { echo "local-bases: no .NET SDK in $dotnet_root (set DOTNET_ROOT)" >&2; exit 1; }
# Tagged with the versions they carry: when the machine's .NET is updated, new bases are built.
runtime_deps_image="$prefix-runtime-deps:10.0"
aspnet_image="$prefix-aspnet:$aspnet_version"
sdk_image="$prefix-sdk:$sdk_version"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/dotnet-service-template/bases"
rebuild="${LOCAL_BASES_REBUILD:-0}"

# The userland's packages: the SDK image gets all of them, the chiseled runtime images only the files of
# `runtime_packages` (ICU and tzdata stay out, as in the official chiseled images; the service runs with
# InvariantGlobalization and UTC).
debootstrap_packages="ca-certificates,libssl3,libicu72,tzdata,gcc,libc6-dev,zlib1g-dev"
runtime_packages=(libc6 libgcc-s1 libstdc++6 libssl3 zlib1g)

log() { echo "local-bases: $*" >&2; }

have_image() { [[ "$rebuild" != 1 ]] && docker image inspect "$1" >/dev/null 2>&1; }

emit() {
  printf 'RUNTIME_DEPS_IMAGE=%s\nASPNET_IMAGE=%s\nSDK_IMAGE=%s\n' "$runtime_deps_image" "$aspnet_image" "$sdk_image"
}

if have_image "$runtime_deps_image" && have_image "$aspnet_image" && have_image "$sdk_image"; then
  emit
  exit 0
fi

for tool in debootstrap docker tar; do
  command -v "$tool" >/dev/null 2>&1 || { log "$tool is missing (scripts/setup/docker.sh installs it)"; exit 1; }
done

# The mirror and release apt already uses: nothing about the package source is written down here.
# shellcheck source=/dev/null
codename="$(. /etc/os-release && echo "${VERSION_CODENAME:?}")"
# shellcheck disable=SC2016 # $(...) here is apt's own field syntax
mirror="${DEBIAN_MIRROR:-$(apt-get indextargets --format '$(RELEASE) $(REPO_URI)' | awk -v r="$codename" '$1 == r { print $2; exit }')}"
[[ -n "$mirror" ]] || { log "no apt source for $codename found (set DEBIAN_MIRROR)"; exit 1; }

mkdir -p "$cache"
work="$(mktemp -d "$cache/work.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# 1. The Debian userland, once per package list.
key="$(printf '%s %s' "$codename" "$debootstrap_packages" | sha256sum | cut -c1-12)"
userland_tar="$cache/userland-$codename-$key.tar"
if [[ ! -f "$userland_tar" ]]; then
  log "debootstrap $codename (minbase + $debootstrap_packages) from the configured mirror"
  debootstrap --variant=minbase --include="$debootstrap_packages" "$codename" "$work/userland" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work/userland"/var/cache/apt/archives/*.deb "$work/userland"/var/lib/apt/lists/*
  tar -C "$work/userland" -cf "$userland_tar.partial" .
  mv "$userland_tar.partial" "$userland_tar"
  rm -rf "$work/userland"
fi
mkdir -p "$work/userland"
tar -C "$work/userland" -xf "$userland_tar"
userland="$work/userland"

dotnet_env=(-c "ENV DOTNET_RUNNING_IN_CONTAINER=true" -c "ENV APP_UID=1654" -c "ENV ASPNETCORE_HTTP_PORTS=8080")

# 2. runtime-deps: the runtime packages' files only ("chiseled"), plus the user model.
if ! have_image "$runtime_deps_image"; then
  log "building $runtime_deps_image"
  chiseled="$work/chiseled"
  mkdir -p "$chiseled"/{etc,tmp,home/app,usr/lib,usr/lib64,usr/share/ca-certificates}
  # Debian's merged /usr: package lists name /lib/... paths that live under /usr/lib.
  ln -s usr/lib "$chiseled/lib"
  ln -s usr/lib64 "$chiseled/lib64"
  for package in "${runtime_packages[@]}"; do
    dpkg-query --admindir="$userland/var/lib/dpkg" -L "$package:amd64" 2>/dev/null || dpkg-query --admindir="$userland/var/lib/dpkg" -L "$package"
  done | sed -E 's#^/(lib|lib64|bin|sbin)/#/usr/\1/#' \
    | grep -Ev '^/usr/share/(doc|lintian|man|locale|gcc|gdb)/' \
    | while read -r path; do
        if [[ -L "$userland$path" || -f "$userland$path" ]]; then
          echo ".$path"
        fi
      done >"$work/runtime-files"
  tar -C "$userland" -cf - --no-recursion -T "$work/runtime-files" | tar -C "$chiseled" -xf -
  # CA certificates: the generated bundle and the directory of hashed links, as ca-certificates_data ships them.
  tar -C "$userland" -cf - ./etc/ssl/certs ./usr/share/ca-certificates | tar -C "$chiseled" -xf -
  cp "$userland/etc/os-release" "$chiseled/etc/os-release" 2>/dev/null || cp -L "$userland/usr/lib/os-release" "$chiseled/etc/os-release"
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:1654:1654:app:/home/app:/usr/sbin/nologin\n' >"$chiseled/etc/passwd"
  printf 'root:x:0:\napp:x:1654:\n' >"$chiseled/etc/group"
  chmod 1777 "$chiseled/tmp"
  chown 1654:1654 "$chiseled/home/app"
  tar -C "$chiseled" -cf - . | docker import "${dotnet_env[@]}" - "$runtime_deps_image" >/dev/null
fi

# 3. aspnet: runtime-deps plus the machine's .NET host and shared frameworks, as one more layer.
if ! have_image "$aspnet_image"; then
  log "building $aspnet_image on $runtime_deps_image"
  mkdir -p "$work/aspnet/usr/share/dotnet" "$work/aspnet/usr/bin"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/shared" "$work/aspnet/usr/share/dotnet/"
  ln -s ../share/dotnet/dotnet "$work/aspnet/usr/bin/dotnet"
  printf 'FROM %s\nCOPY . /\nENV DOTNET_VERSION=%s ASPNET_VERSION=%s\n' "$runtime_deps_image" "$runtime_version" "$aspnet_version" >"$work/aspnet.Dockerfile"
  docker build --network host -q -f "$work/aspnet.Dockerfile" -t "$aspnet_image" "$work/aspnet" >/dev/null 2>"$work/aspnet.log" \
    || { cat "$work/aspnet.log" >&2; exit 1; }
fi

# 4. sdk: the full userland, the whole .NET install, and this machine's way to NuGet.
if ! have_image "$sdk_image"; then
  log "building $sdk_image"
  mkdir -p "$userland/usr/share/dotnet" "$userland/root/.nuget/NuGet"
  cp -a "$dotnet_root/." "$userland/usr/share/dotnet/"
  ln -sf ../share/dotnet/dotnet "$userland/usr/bin/dotnet"
  # Extra CA certificates (e.g. a proxy's) the machine trusts, so HTTPS to the feed verifies inside the build.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$userland/usr/local/share/ca-certificates/"
    chroot "$userland" update-ca-certificates >/dev/null 2>&1
  fi
  nuget_config="${NUGET_CONFIG_FILE:-$HOME/.nuget/NuGet/NuGet.Config}"
  if [[ -f "$nuget_config" ]]; then
    cp "$nuget_config" "$userland/root/.nuget/NuGet/NuGet.Config"
  fi
  sdk_env=("${dotnet_env[@]}" -c "ENV DOTNET_VERSION=$runtime_version" -c "ENV ASPNET_VERSION=$aspnet_version"
    -c "ENV DOTNET_NOLOGO=true" -c "ENV DOTNET_CLI_TELEMETRY_OPTOUT=1" -c "ENV DOTNET_GENERATE_ASPNET_CERTIFICATE=false"
    -c "ENV DOTNET_SDK_VERSION=$sdk_version" -c "ENV NUGET_XMLDOC_MODE=skip" -c "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
  while IFS='=' read -r name value; do
    sdk_env+=(-c "ENV $name=$value")
  done < <(env | grep -E '^NUGET_[A-Z_]+=' || true)
  tar -C "$userland" -cf - . | docker import "${sdk_env[@]}" -c "WORKDIR /src" - "$sdk_image" >/dev/null
fi

emit
