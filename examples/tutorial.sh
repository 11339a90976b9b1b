#!/usr/bin/env bash
# The offline tutorial (docs/tutorial.md): build a tiny random chat model, then generate ->
# label -> merge -> report on the questions in examples/tutorial/, on CPU, with no download
# of a model or a dataset. A few minutes on 2 cores.
#
#   bash examples/tutorial.sh                      # after examples/quickstart.sh made .venv
#   TASKS="math trivia" bash examples/tutorial.sh  # only some tasks
#
# PYTHON (default .venv/bin/python) is the interpreter gnosis is installed in; OUT (default
# runs/tutorial) where everything goes; MAX_QUESTIONS (default: all) a subset per task.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
OUT=${OUT:-runs/tutorial}
TASKS=${TASKS:-math dapo trivia mmlu_pro gpqa}

if ! "$PYTHON" -c "import torch, transformers, matplotlib" 2>/dev/null; then
  echo "== installing the [hf,report] extras, with the CPU build of torch"
  "$PYTHON" -m pip install -q torch --index-url https://download.pytorch.org/whl/cpu
  "$PYTHON" -m pip install -q -e ".[hf,report]"
fi

gnosis() {  # the gnosis command of $PYTHON's environment, echoed before it runs
  echo
  echo "== gnosis $*"
  "$PYTHON" -m gnosis_core.cli "$@"
}

echo "== python -m gnosis_core.tiny_model $OUT/tiny-model   (a random 1-layer chat model, built here)"
"$PYTHON" -m gnosis_core.tiny_model "$OUT/tiny-model"

inputs=()
for task in $TASKS; do
  gnosis run --stage generate --task "$task" --model_id "$OUT/tiny-model" --backend transformers \
    --data_mode jsonl --data_path "examples/tutorial/$task.jsonl" ${MAX_QUESTIONS:+--max_questions "$MAX_QUESTIONS"} \
    --num_generations 4 --max_tokens 48 --stage2_tokens 16 --temperature 1.0 --save_dir "$OUT/$task"
  gnosis run --stage label --task "$task" --save_dir "$OUT/$task" --workers 2
  inputs+=("$task=$OUT/$task")
done

# a random model answers almost nothing: keep unparsed rows so that the merged set is not empty
gnosis run --stage merge --inputs "$(IFS=,; echo "${inputs[*]}")" --only_parsed false --out_dir "$OUT/merged"
gnosis report $(for task in $TASKS; do echo "$OUT/$task"; done) "$OUT/merged" --out "$OUT/report"
echo
echo "== done: open $OUT/report/index.html"
