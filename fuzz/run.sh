#!/usr/bin/env bash
# Fuzzes every target (or the ones named) for SECONDS each, one after another, at low priority, on the
# stable toolchain without a sanitizer (`-s none`: only nightly has sanitizers). Seeds are regenerated
# first (with Microsoft's documentation samples when the corpus is present). New inputs go to
# fuzz/corpus/<target>/, crashes to fuzz/artifacts/<target>/, the log to fuzz/artifacts/<target>.log.
#
#   fuzz/run.sh                      # every target, 600 s each
#   SECONDS_PER_TARGET=60 fuzz/run.sh sync_plan graph_delta
#
# Every crash becomes a regression input: copy it to fuzz/regressions/<target>/ (then
# `cargo test -p fuzz-harness` fails until it is fixed).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${SECONDS_PER_TARGET:-600}"
target_dir="${FUZZ_TARGET_DIR:-${CARGO_TARGET_DIR:-target}/cargo-fuzz}"
cargo run -q -p fuzz-harness --bin fuzz-seeds -- --with-corpus fuzz/corpus >/dev/null 2>&1 ||
  cargo run -q -p fuzz-harness --bin fuzz-seeds -- fuzz/corpus >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  echo "== $target: ${seconds}s"
  status=0
  nice -n 19 cargo fuzz run -s none --target-dir "$target_dir" "$target" \
    "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$target/" \
    >"fuzz/artifacts/$target.log" 2>&1 || status=$?
  tail -n 14 "fuzz/artifacts/$target.log" | grep -E '^(Done|stat::|==|SUMMARY)' || true
  echo "== $target: exit $status"
done
