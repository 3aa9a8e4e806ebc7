"""Supervised fine-tuning of Qwen3 into a medical Q&A model that reasons in <think> (full, LoRA or QLoRA).

    accelerate launch --config_file accelerate_configs/zero3.yaml recipes/sft.py \
        --config recipes/qwen3-1.7b/sft/lora.yaml

Also runs as `python recipes/sft.py --config …`. Flags given on the command line override the YAML.
All the logic lives in `medqa.training`; see recipes/README.md for the recipes and their cost.
"""

from medqa.training import make_parser, run_sft

if __name__ == "__main__":
    script_args, training_args, model_args = make_parser().parse_args_and_config()
    run_sft(script_args, training_args, model_args)
