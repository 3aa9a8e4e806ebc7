"""GPU generation throughput at Qwen3-1.7B size: static batching vs continuous batching vs vLLM.

The model is randomly initialised from a hard-coded Qwen3-1.7B config (no download), so only speed is
measured; prompts are random token ids of realistic lengths and every request generates exactly
`--max-new-tokens` tokens (EOS is ignored). vLLM runs only when it is installed.

    python benchmarks/gpu/bench_generate.py [--prompts 256] [--max-new-tokens 512] [--batch-size 64]
"""

from __future__ import annotations

import argparse
import tempfile
import time

# Qwen/Qwen3-1.7B config.json, the fields that define its shape.
QWEN3_1_7B = {
    "vocab_size": 151936,
    "hidden_size": 2048,
    "intermediate_size": 6144,
    "num_hidden_layers": 28,
    "num_attention_heads": 16,
    "num_key_value_heads": 8,
    "head_dim": 128,
    "max_position_embeddings": 40960,
    "rope_theta": 1000000,
    "rms_norm_eps": 1e-06,
    "tie_word_embeddings": True,
    "bos_token_id": 151643,
    "eos_token_id": 151645,
}


def random_prompts(count: int, seed: int = 0) -> list[list[int]]:
    """Prompt lengths spread like the medical questions with a system prompt (40 to 400 tokens)."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    lengths = torch.randint(40, 400, (count,), generator=generator).tolist()
    return [torch.randint(1000, 100000, (n,), generator=generator).tolist() for n in lengths]


def build_model():
    import torch
    from transformers import Qwen3Config, Qwen3ForCausalLM

    torch.manual_seed(0)
    with torch.device("cuda"):
        model = Qwen3ForCausalLM(Qwen3Config(**QWEN3_1_7B, dtype="bfloat16")).to(torch.bfloat16)
    return model.eval()


def greedy_config(max_new_tokens: int):
    from transformers import GenerationConfig

    # eos=-1 never matches: every request runs to max_new_tokens, so all backends do equal work.
    return GenerationConfig(max_new_tokens=max_new_tokens, do_sample=False, eos_token_id=-1, pad_token_id=0)


def bench_static(model, prompts, max_new_tokens: int, batch_size: int) -> float:
    """Length-sorted, left-padded batches through `generate`, as `medqa predict` does."""
    import torch

    config = greedy_config(max_new_tokens)
    ordered = sorted(prompts, key=len, reverse=True)
    torch.cuda.synchronize()
    started = time.perf_counter()
    for i in range(0, len(ordered), batch_size):
        batch = ordered[i : i + batch_size]
        width = max(map(len, batch))
        ids = torch.tensor([[0] * (width - len(p)) + p for p in batch], device="cuda")
        mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in batch], device="cuda")
        with torch.inference_mode():
            model.generate(input_ids=ids, attention_mask=mask, generation_config=config)
    torch.cuda.synchronize()
    return time.perf_counter() - started


def bench_continuous(model, prompts, max_new_tokens: int) -> float:
    import torch

    torch.cuda.synchronize()
    started = time.perf_counter()
    model.generate_batch(inputs=prompts, generation_config=greedy_config(max_new_tokens), progress_bar=False)
    torch.cuda.synchronize()
    return time.perf_counter() - started


def bench_vllm(model, prompts, max_new_tokens: int) -> float | None:
    try:
        from vllm import LLM, SamplingParams
        from vllm.inputs import TokensPrompt
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as folder:
        model.save_pretrained(folder)
        llm = LLM(model=folder, skip_tokenizer_init=True, dtype="bfloat16", gpu_memory_utilization=0.5)
        params = SamplingParams(max_tokens=max_new_tokens, temperature=0.0, ignore_eos=True, detokenize=False)
        requests = [TokensPrompt(prompt_token_ids=p) for p in prompts]
        llm.generate(requests[:8], params, use_tqdm=False)  # warm-up: CUDA graphs, kernels
        started = time.perf_counter()
        llm.generate(requests, params, use_tqdm=False)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=256)
    parser.add_argument("--max-new-tokens", type=int, default=512)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()

    model = build_model()
    prompts = random_prompts(args.prompts)
    tokens = args.prompts * args.max_new_tokens
    bench_static(model, prompts[:8], 16, 8)  # warm-up
    timings = {
        f"static batching (batch {args.batch_size})": bench_static(
            model, prompts, args.max_new_tokens, args.batch_size
        ),
        "continuous batching (transformers)": bench_continuous(model, prompts, args.max_new_tokens),
        "vLLM": bench_vllm(model, prompts, args.max_new_tokens),
    }
    print(f"{args.prompts} prompts x {args.max_new_tokens} new tokens, Qwen3-1.7B shape, bf16, greedy")
    baseline = next(iter(timings.values()))
    for name, seconds in timings.items():
        if seconds is None:
            print(f"{name:40s} skipped (not installed: pip install 'medqa[vllm]')")
        else:
            print(f"{name:40s} {tokens / seconds:10.0f} output tokens/s  ({baseline / seconds:.2f}x static)")


if __name__ == "__main__":
    main()
