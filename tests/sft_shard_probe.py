"""recipes/sft.py plus a record of what each rank trained on: `<output_dir>/shard-<rank>.txt` lists a hash
of every sequence the rank's data loader fed it. Used by test_sft_distributed.py under `accelerate launch`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from medqa.training import build_trainer, make_parser, train_and_save


def main() -> None:
    script_args, training_args, model_args = make_parser().parse_args_and_config()
    trainer = build_trainer(script_args, training_args, model_args)
    record = Path(training_args.output_dir, f"shard-{trainer.accelerator.process_index}.txt")
    record.parent.mkdir(parents=True, exist_ok=True)
    collate = trainer.data_collator

    def recording_collator(examples):
        with open(record, "a", encoding="utf-8") as handle:
            for example in examples:
                handle.write(hashlib.sha256(str(example["input_ids"]).encode()).hexdigest() + "\n")
        return collate(examples)

    trainer.data_collator = recording_collator
    train_and_save(trainer, script_args, training_args)


if __name__ == "__main__":
    main()
