#!/usr/bin/env bash
# Makes sure the Aspire Dashboard (a real OTLP receiver, gRPC and HTTP, with a query API) is available and prints
# the path of its self-contained binary. It comes from NuGet's Aspire.Dashboard.Sdk.linux-x64 package, restored
# with a PackageDownload by a throwaway project, and is cached outside the repository; a second run is a quick no-op.
#
#   dashboard=$(scripts/setup/aspire-dashboard.sh) && "$dashboard" --help
set -euo pipefail

package="Aspire.Dashboard.Sdk.linux-x64"
version="13.6.5"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/dotnet-service-template/aspire-dashboard-${version}"
binary="$cache/packages/${package,,}/$version/tools/Aspire.Dashboard"

if [[ -x $binary ]]; then
  echo "$binary"
  exit 0
fi

echo "setup: fetching the Aspire Dashboard ($package $version)" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Outside the repository, so its Directory.*.props (central versions, warnings as errors) do not apply.
cat >"$work/dashboard.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$package" Version="[$version]" />
  </ItemGroup>
</Project>
PROJECT
rm -rf "$cache.tmp"
dotnet restore "$work/dashboard.csproj" --packages "$cache.tmp/packages" --nologo -v quiet >&2
chmod +x "$cache.tmp/packages/${package,,}/$version/tools/Aspire.Dashboard"
rm -rf "$cache"
mv "$cache.tmp" "$cache"
echo "$binary"
