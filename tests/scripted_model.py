"""A real tiny-Qwen3 checkpoint that always replies with a fixed script, for tests that serve a model.

It stands in for a fine-tuned model (the demo) or a judge model (the LLM judge): a real checkpoint that
loaders, chat templates, streamers and servers treat like any other, but whose reply is known.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from medqa.formatting import conversation
from medqa.tiny import IM_END


def build_scripted_checkpoint(
    tiny_dir: Path, out: Path, script: str, added_tokens: Sequence[str] = ()
) -> Path:
    """The tiny Qwen3 with weights set so it always replies `script` (then `<|im_end|>`).

    Every layer adds nothing to the residual stream, so the next token depends on the current one only,
    and the untied output head maps each token of the script to the one after it. A token may therefore
    appear once in the script: text that would repeat one (JSON's quotes) goes in as `added_tokens`.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_dir)
    model = AutoModelForCausalLM.from_pretrained(tiny_dir)
    if added_tokens:
        tokenizer.add_tokens(list(added_tokens))
        old_rows = model.get_input_embeddings().weight.shape[0]
        model.resize_token_embeddings(len(tokenizer), mean_resizing=False)
        # Mean-initialised rows would all be alike, so the chain's logits would barely separate them
        # and sampling could leave the script: give each added token a random row of its own.
        with torch.no_grad():
            embeddings = model.get_input_embeddings().weight
            generator = torch.Generator().manual_seed(0)
            noise = torch.randn(embeddings.shape[0] - old_rows, embeddings.shape[1], generator=generator)
            embeddings[old_rows:] = noise * embeddings[:old_rows].std()
    prompt = tokenizer.apply_chat_template(conversation("?"), tokenize=False, add_generation_prompt=True)
    chain = [tokenizer(prompt, add_special_tokens=False).input_ids[-1]]
    # Added tokens by id: the tokenizer would split one that contains <think> at that tag.
    pieces = re.split(f"({'|'.join(map(re.escape, sorted(added_tokens, key=len, reverse=True)))})", script)
    for piece in pieces if added_tokens else [script]:
        if piece in added_tokens:
            chain.append(tokenizer.convert_tokens_to_ids(piece))
        elif piece:
            chain += tokenizer(piece, add_special_tokens=False).input_ids
    chain += tokenizer(IM_END, add_special_tokens=False).input_ids
    assert len(set(chain)) == len(chain), "a token repeats in the script; a bigram chain cannot follow it"
    with torch.no_grad():
        for layer in model.model.layers:
            layer.self_attn.o_proj.weight.zero_()
            layer.mlp.down_proj.weight.zero_()
        states = model.model.norm(model.model.embed_tokens.weight[chain[:-1]])
        head = torch.zeros_like(model.model.embed_tokens.weight)
        head[chain[1:]] = 30 * states / states.pow(2).sum(-1, keepdim=True)
    model.config.tie_word_embeddings = False
    model.lm_head.weight = torch.nn.Parameter(head)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out
