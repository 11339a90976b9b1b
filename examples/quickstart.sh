#!/usr/bin/env bash
# Install gnosis with its task plugins into .venv, label the example shards of every task,
# merge three of them, and report on the whole example run.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[report]" -e plugins/gnosis-math -e plugins/gnosis-trivia \
  -e plugins/gnosis-mcq -e plugins/gnosis-dapo
.venv/bin/gnosis tasks
for task in math dapo trivia mmlu_pro gpqa; do
  echo
  echo "== gnosis run --task $task --stage label --save_dir examples/$task"
  .venv/bin/gnosis run --task "$task" --stage label --save_dir "examples/$task"
done
echo
echo "== gnosis run --stage merge --config examples/merge.toml"
.venv/bin/gnosis run --stage merge --config examples/merge.toml
echo
echo "== gnosis report examples/math examples/dapo examples/trivia examples/mmlu_pro examples/gpqa runs/merged --out runs/report"
.venv/bin/gnosis report examples/math examples/dapo examples/trivia examples/mmlu_pro examples/gpqa runs/merged \
  --out runs/report
