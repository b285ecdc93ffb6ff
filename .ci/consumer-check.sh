#!/usr/bin/env bash
# Consumer check: the packages as a user meets them, so the README's install steps cannot go stale.
# Packs every package to a local folder feed, then, outside the repository (no Directory.Build.props, no central
# package versions): builds and runs a fresh console project and a file-based app against the feed, installs the
# evalstats tool from it and writes a report, and runs docs/examples/evaluation.ipynb in a dotnet-interactive kernel.
# Expects the solution to be built (Release). Usage: .ci/consumer-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/evalstats-consumer.XXXXXX")
feed="$work/feed"
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)

for p in Evaluation.Stats Evaluation.Stats.Data Evaluation.Stats.Reporting; do
  dotnet pack "src/$p" -c Release --no-build -o "$feed" > "$work/pack-$p.log" || { cat "$work/pack-$p.log"; exit 1; }
done
# The tool packs one package per runtime identifier (linux-x64 Native AOT, `any` plain IL; see its csproj), and the
# solution build builds neither RID, so its pack builds them (no --no-build). Native AOT links with clang and zlib.
if [ "$(uname -m)" = x86_64 ] && [ "$(uname -s)" = Linux ] && ! { command -v clang > /dev/null && [ -f /usr/include/zlib.h ]; }; then
  apt-get update > /dev/null
  apt-get -o DPkg::Lock::Timeout=900 install -y clang zlib1g-dev > /dev/null
fi
dotnet pack src/Evaluation.Stats.Tool -c Release -o "$feed" > "$work/pack-tool.log" || { cat "$work/pack-tool.log"; exit 1; }
ls "$feed"
# The package cache keeps a version once restored: drop ours so this run restores what was just packed.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/evaluation.stats*
# The feed first, then the registry for everything else.
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
</configuration>
XML

# 1. A fresh console project, as the README's install section says.
mkdir -p "$work/console" && cd "$work/console" && cp "$work/nuget.config" .
dotnet new console --framework net10.0 > /dev/null
dotnet add package Evaluation.Stats --version "$version" > /dev/null
dotnet add package Evaluation.Stats.Data --version "$version" > /dev/null
dotnet add package Evaluation.Stats.Reporting --version "$version" > /dev/null
cat > Program.cs <<'CS'
using Evaluation.Stats;
using Evaluation.Stats.Data;
using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Reporting;

var dir = Path.Combine(Path.GetTempPath(), "evalstats-consumer-data");
SyntheticData.Generate().WriteTo(dir);
var result = Evaluator.Journeys(DesignFile.Load(Path.Combine(dir, "design.json")), Readers.Journeys(Path.Combine(dir, "journeys.csv")));
Console.WriteLine(DidTable.Format(result.Pairs.Select(p => p.Outcomes[OutcomeNames.EffectiveTreatment].Did)));
Console.WriteLine($"frame rows: {result.ToDataFrame().Rows.Count}");
var png = CellBarsChart.Render(result, OutcomeNames.EffectiveTreatment);
Console.WriteLine($"chart: {png.Bytes.Length} bytes, {png.Width}x{png.Height}");
if (result.ToDataFrame().Rows.Count != 18 || png.Bytes.Length < 1000) return 1;
return 0;
CS
# Warnings are errors, except NU1603 (this registry mirror lacks some exact transitive versions; see Directory.Build.props).
dotnet build -c Release -warnaserror -p:NoWarn=NU1603 > "$work/console-build.log" || { cat "$work/console-build.log"; exit 1; }
dotnet run -c Release --no-build | tee "$work/console.out"
grep -q "site 6" "$work/console.out"

# 2. A file-based app taking the packages with #:package (the README's 10-line path).
mkdir -p "$work/app" && cd "$work/app" && cp "$work/nuget.config" .
awk '/^```csharp$/{f=1;next} f&&/^```$/{exit} f' "$repo/README.md" > readme-flow.cs
grep -q '#:package Evaluation.Stats.Reporting' readme-flow.cs
(cd "$work" && "$repo/src/Evaluation.Stats.Tool/bin/Release/net10.0/evalstats" demo --out "$work/app" > /dev/null 2>&1 || dotnet "$repo/src/Evaluation.Stats.Tool/bin/Release/net10.0/evalstats.dll" demo --out "$work/app" > /dev/null 2>&1)
dotnet run readme-flow.cs | tee "$work/app.out"
grep -q "site 6" "$work/app.out"
test -s "$work/app/cells-effectiveTreatment.png"

# 3. The tool from the feed, and its report.
dotnet tool install --tool-path "$work/tools" --add-source "$feed" Evaluation.Stats.Tool --version "$version" > /dev/null
"$work/tools/evalstats" demo --out "$work/demo" > /dev/null 2>&1
"$work/tools/evalstats" report --journeys "$work/demo/journeys.csv" --design "$work/demo/design.json" \
  --referrals "$work/demo/referrals.csv" --pickups "$work/demo/pickups.csv" --out "$work/report" 2> /dev/null
test -s "$work/report/index.html" && test -s "$work/report/report.md" && ls "$work/report/tables" | grep -q did-effectiveTreatment.csv

# 3b. On linux-x64 the installed tool is Native AOT (three builds: x86-64-v2, -v3, -v4; see the tool's csproj); every
# build the CPU can run must give the JIT-compiled tool's numbers (to 1e-9: the vector width may change the last bits).
if [ "$(uname -m)" = x86_64 ] && [ "$(uname -s)" = Linux ]; then
  bin=$(dirname "$(readlink -f "$work/tools/evalstats")")
  test -x "$bin/evalstats-x86-64-v3" && test -x "$bin/evalstats-x86-64-v4"
  jit=(dotnet "$repo/src/Evaluation.Stats.Tool/bin/Release/net10.0/evalstats.dll")
  /usr/bin/env python3 - "$work/logit.csv" <<'PY'
import sys, math, random
r = random.Random(13)
with open(sys.argv[1], "w") as f:
    f.write("y," + ",".join(f"x{j}" for j in range(1, 10)) + ",g\n")
    for i in range(30000):
        x = [round(r.gauss(0, 1), 6) for _ in range(9)]; g = "abcde"[i % 5]
        eta = 0.3 * x[0] - 0.2 * x[1] + 0.1 * x[2] + 0.4 * (g == "c")
        f.write(f"{int(r.random() < 1 / (1 + math.exp(-eta)))}," + ",".join(map(str, x)) + f",{g}\n")
PY
  runs=("demo --json"
        "journeys --journeys $work/demo/journeys.csv --design $work/demo/design.json --json"
        "referrals --referrals $work/demo/referrals.csv --pickups $work/demo/pickups.csv --design $work/demo/design.json --json"
        "logit --data $work/logit.csv --outcome y --categorical g --json"
        "logit --data $work/logit.csv --outcome y --categorical g --robust hc3 --json"
        "logit --data $work/logit.csv --formula y~x1+x2+C(g) --json"
        "ols --data $work/logit.csv --formula y~x1+x2+C(g) --robust hc1 --json")
  builds=(evalstats)
  grep -qw avx2 /proc/cpuinfo && builds+=(evalstats-x86-64-v3)
  grep -qw avx512f /proc/cpuinfo && builds+=(evalstats-x86-64-v4)
  for i in "${!runs[@]}"; do
    read -r -a a <<< "${runs[$i]}"
    "${jit[@]}" "${a[@]}" > "$work/jit-$i.json"
    for b in "${builds[@]}"; do
      "$bin/$b" "${a[@]}" > "$work/aot-$b-$i.json"
      /usr/bin/env python3 - "$work/jit-$i.json" "$work/aot-$b-$i.json" "$b ${runs[$i]}" <<'PY'
import sys, json, math
def same(a, b, path):
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), path
        for k in a:
            if k != "timing": same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)): same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), f"{path}: {a} against {b}"
    else:
        assert a == b, f"{path}: {a} against {b}"
same(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3])
PY
    done
  done
  echo "Native AOT builds ${builds[*]}: the JIT-compiled tool's numbers on ${#runs[@]} commands"
fi

# 4. The notebook in a real kernel, loading the packed Reporting package and its notebook extension.
dotnet tool install --tool-path "$work/tools" Microsoft.dotnet-interactive --version 1.0.712001 > /dev/null
/usr/bin/env python3 "$repo/.ci/notebook_kernel.py" "$work/tools/dotnet-interactive" "$feed" "$repo/docs/examples/evaluation.ipynb"

echo "consumer check: console project, file-based app, tool + report and notebook kernel all passed ($work)"
