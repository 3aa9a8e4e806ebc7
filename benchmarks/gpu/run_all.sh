#!/usr/bin/env bash
# The whole GPU check in one run (issue 16, item 7), for a machine with the project installed
# (`pip install -e ".[dev,qlora,vllm]"` with a CUDA torch). Writes JSON and logs to ${OUT:-runs/gpu}.
#   bash benchmarks/gpu/run_all.sh        # ~5-8 min on one H100/H200
# 1. the shipped recipes' shape at Qwen3-1.7B: batch 4 x 2048 real Qwen3-tokenized tokens, checkpointing
#    on (lora, qlora; full as one GPU's share): tokens/s, MFU, measured peak vs medqa.memory's estimate;
# 2. LoRA without checkpointing at batch 8 x 1024 (the 80 GB option in recipes/README.md, Memory);
# 3. generation: HF static batching vs continuous batching vs vLLM (when installed).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${OUT:-runs/gpu}"
mkdir -p "$OUT"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$OUT/gpu.csv"
python benchmarks/gpu/bench_train.py --real-tokens --modes lora qlora full --batch-size 4 --seq-len 2048 \
  --json "$OUT/train_recipes.json" 2>&1 | tee "$OUT/train_recipes.log"
python benchmarks/gpu/bench_train.py --real-tokens --modes lora --batch-size 8 --seq-len 1024 \
  --no-checkpointing --json "$OUT/train_lora_no_checkpointing.json" 2>&1 | tee "$OUT/train_lora_nockpt.log"
python benchmarks/gpu/bench_generate.py 2>&1 | tee "$OUT/generate.log"
