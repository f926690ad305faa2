#!/bin/bash
# Issue 10's figures side by side: each benchmark on BEFORE's tree, then on AFTER's, then the
# next benchmark, so both see about the same load. Usage (from anywhere):
#   benchmarks/before_after.sh /path/to/before-worktree /path/to/after-worktree [OUT_DIR]
# Needs hyperfine and requirements-bench.txt (clipspy). Speed is measured, never asserted.
set -euo pipefail
BEFORE=$1 AFTER=$2 OUT=${3:-/tmp/radix-before-after}
PY=${PYTHON:-$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/python}
CASE=content/cases/01-s1-disc-herniation-graduate-student.yaml
mkdir -p "$OUT"
run() {  # name, command...
  local name=$1; shift
  for tree in "$BEFORE" "$AFTER"; do
    tag=$(basename "$tree")
    echo "== $name on $tag at $(date -u +%T), load $(cut -d' ' -f1 /proc/loadavg)"
    (cd "$tree" && "$@" > "$OUT/$name-$tag.txt" 2>&1)
  done
}
echo "python start (calibration): $(hyperfine -N -w 3 -r 20 "$PY -c pass" 2>/dev/null | grep -m1 Time)"
run clips "$PY" benchmarks/compare_clips.py 10000
run engine "$PY" benchmarks/bench_engine.py 10000
run cli hyperfine -N -w 3 -r 30 "$PY -m engine evaluate $CASE"
run ask "$PY" benchmarks/bench_ask.py 5
run batch "$PY" benchmarks/bench_batch.py 20000 --jsonl
tail -n +1 "$OUT"/*.txt
