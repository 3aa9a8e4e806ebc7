"""GRPO after SFT: reinforce safe behaviour with TRL's GRPOTrainer and rewards built from the project's own
safety detectors (medqa/rewards.py).

    accelerate launch --config_file accelerate_configs/single_gpu.yaml recipes/grpo.py \
        --config recipes/qwen3-1.7b/grpo/lora.yaml

Also runs as `python recipes/grpo.py --config …`. Flags given on the command line override the YAML.
All the logic lives in `medqa.grpo`; see recipes/README.md for the recipe, its rewards and their limits.
"""

from medqa.grpo import make_parser, run_grpo

if __name__ == "__main__":
    script_args, training_args, model_args = make_parser().parse_args_and_config()
    run_grpo(script_args, training_args, model_args)
