#!/usr/bin/env bash
# Installs evalstats the way a user gets it, for the timing scripts: `dotnet pack` of the tool to a folder feed, then
# `dotnet tool install` from that feed into WORK/tool. On linux-x64 that installs the RID-specific package, Native
# AOT (see src/Evaluation.Stats.Tool/Evaluation.Stats.Tool.csproj; packing it needs clang and zlib1g-dev and takes
# a few minutes: three native compilations); elsewhere the framework-dependent `any` package. Prints the path of the installed command.
# Usage: bash benchmarks/cross-tool/install-tool.sh WORK
set -euo pipefail
work=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -n 1)
rm -rf "$work/tool-feed" "$work/tool"
# Packed as CI packs it (.ci/consumer-check.sh): pack builds the RID-specific packages itself.
dotnet pack "$root/src/Evaluation.Stats.Tool" -c Release -o "$work/tool-feed" -v q -nologo > "$work/tool-pack.log" || { cat "$work/tool-pack.log" >&2; exit 1; }
# The package cache keeps a version once restored: drop this one so the install takes what was just packed.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/evaluation.stats.tool*
dotnet tool install --tool-path "$work/tool" --add-source "$work/tool-feed" Evaluation.Stats.Tool --version "$version" > "$work/tool-install.log" || { cat "$work/tool-install.log" >&2; exit 1; }
echo "$work/tool/evalstats"
