"""The demo's parts without a server: model choices, history, banner, reply rendering, the Space files."""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
from pathlib import Path

import gradio as gr
import pytest
import yaml

from medqa import demo
from medqa.demo import (
    THINKING_TITLE,
    ChatDemo,
    ModelPool,
    args_from_env,
    emergency_banner,
    input_problem,
    load_examples,
    model_history,
    parse_model_choices,
    reply_messages,
)
from medqa.modeling import ModelSpec
from medqa.space import stage_space
from medqa.staging import StagingError

REPO_ROOT = Path(__file__).resolve().parent.parent
SPACE_DIR = REPO_ROOT / "spaces_app"


def test_model_choices_are_named_and_share_the_adapter_base():
    specs = parse_model_choices(
        ["base=Qwen/Qwen3-1.7B", "runs/x/adapter/"], base="Qwen/Qwen3-1.7B", dtype="auto"
    )
    assert list(specs) == ["base", "adapter"]
    assert specs["adapter"] == ModelSpec("runs/x/adapter/", base="Qwen/Qwen3-1.7B")
    with pytest.raises(ValueError, match="twice"):
        parse_model_choices(["a=x", "a=y"])
    with pytest.raises(ValueError, match="NAME=MODEL"):
        parse_model_choices(["a="])


def test_model_pool_loads_lazily_one_at_a_time_and_keeps_the_most_recent():
    calls: list[str] = []
    entered, gate, count_lock = threading.Event(), threading.Event(), threading.Lock()
    loading = {"now": 0, "peak": 0}

    def loader(spec):
        with count_lock:
            loading["now"] += 1
            loading["peak"] = max(loading["peak"], loading["now"])
        entered.set()
        gate.wait(5)
        calls.append(spec.model)
        with count_lock:
            loading["now"] -= 1
        return f"loaded:{spec.model}"

    pool = ModelPool(parse_model_choices(["a=x", "b=y", "c=z"]), max_loaded=2, loader=loader)
    assert calls == []  # nothing loads at start
    threads = [threading.Thread(target=pool.get, args=(name,)) for name in "abab"]
    for thread in threads:
        thread.start()
    entered.wait(5)
    time.sleep(0.2)  # let the other threads reach the pool while the first load is held
    gate.set()
    for thread in threads:
        thread.join()
    assert sorted(calls) == ["x", "y"] and loading["peak"] == 1  # each once, never two at a time
    pool.get("b"), pool.get("a"), pool.get("c")  # "b" is now the least recent of three
    assert pool.get("b") == "loaded:y" and calls[2:] == ["z", "y"]
    with pytest.raises(KeyError, match="configured: a, b, c"):
        pool.get("nope")


def test_space_environment_maps_to_demo_options():
    args = args_from_env(
        {
            "MEDQA_MODELS": "base=Qwen/Qwen3-1.7B, lora=me/medqa-lora",
            "MEDQA_BASE_MODEL": "Qwen/Qwen3-1.7B",
            "MEDQA_CONCURRENCY_LIMIT": "4",
            "GRADIO_SERVER_NAME": "0.0.0.0",
            "GRADIO_SERVER_PORT": "7861",
        }
    )
    assert args.model == ["base=Qwen/Qwen3-1.7B", "lora=me/medqa-lora"]
    assert (args.base, args.concurrency_limit, args.host, args.port) == (
        "Qwen/Qwen3-1.7B",
        4,
        "0.0.0.0",
        7861,
    )
    assert args.preload and not args.share
    assert not args_from_env({"MEDQA_PRELOAD": "0"}).preload
    local = args_from_env({})
    assert (local.host, local.model) == ("127.0.0.1", None)


def test_demo_binds_loopback_and_never_shares_by_default():
    parser = argparse.ArgumentParser()
    demo.add_arguments(parser)
    args = parser.parse_args([])
    assert (args.host, args.port, args.share) == ("127.0.0.1", 7860, False)


def test_history_keeps_answered_questions_without_thinking():
    history = [
        {"role": "user", "content": [{"type": "text", "text": "头痛怎么办？"}]},
        {"role": "assistant", "content": "想一想", "metadata": {"title": THINKING_TITLE}},
        {"role": "assistant", "content": [{"type": "text", "text": "多休息。"}], "metadata": None},
        {"role": "user", "content": "被停止的问题"},
        {"role": "assistant", "content": "…", "metadata": {"title": THINKING_TITLE, "status": "pending"}},
        {"role": "user", "content": "还有别的吗？"},
        {"role": "assistant", "content": "多喝水。"},
        {"role": "user", "content": "没有回答的问题"},
    ]
    assert model_history(history) == [
        {"role": "user", "content": "头痛怎么办？"},
        {"role": "assistant", "content": "多休息。"},
        {"role": "user", "content": "还有别的吗？"},
        {"role": "assistant", "content": "多喝水。"},
    ]


def test_input_limit_message_is_clear_in_both_languages():
    assert input_problem("头痛怎么办？", 10) is None
    assert "Please type a question" in input_problem("  ", 10)
    problem = input_problem("x" * 11, 10)
    assert "输入过长" in problem and "Input too long: 11 characters, the limit is 10" in problem


def test_banner_comes_from_the_shared_red_flag_detector():
    banner = emergency_banner(["我胸痛，喘不上气"])
    assert "120" in banner and "local emergency number" in banner and "喘不上气" in banner
    assert emergency_banner(["我最近总是头痛，怎么办？"]) is None
    assert emergency_banner(["否认胸痛"]) is None  # negation-aware, like the detector


def test_reply_streams_thinking_then_answer():
    pending = reply_messages("<think>\n先判断", True, False, None)
    assert pending == [
        {"role": "assistant", "content": "先判断", "metadata": {"title": THINKING_TITLE, "status": "pending"}}
    ]
    done = reply_messages("<think>\n先判断\n</think>\n\n建议就医", True, True, 1.23)
    assert done[0]["metadata"] == {"title": THINKING_TITLE, "status": "done", "duration": 1.2}
    assert done[1] == {"role": "assistant", "content": "建议就医"}
    assert reply_messages("<think>\n先判断\n</think>\n\n建议就医", False, True, None) == [done[1]]
    assert reply_messages("", True, False, None)[0]["content"] == "…"  # waiting for the first token
    cut = reply_messages("<think>\n还在想", True, True, None)
    assert cut[0]["metadata"]["status"] == "done" and "max new tokens" in cut[1]["content"]


def test_several_think_blocks_show_the_answer_after_the_last_and_are_flagged():
    """A second think block used to hide the answer (or leave raw tags in it)."""
    for text, answer in (
        ("<think>a</think>草稿<think>b</think>最终回答", "最终回答"),
        ("<think>a</think><think>b</think>\n\n最终回答", "最终回答"),
        ("<think>a</think>只有这个回答<think>b</think>", "只有这个回答"),
    ):
        reply = reply_messages(text, True, True, None)
        assert [m["content"] for m in reply if not m.get("metadata")] == [answer]
        thinking = reply[0]["content"]
        assert reply[0]["metadata"]["title"] == THINKING_TITLE and "a" in thinking and "b" in thinking
        assert "<think>" not in thinking and answer not in thinking
        assert reply[-1]["metadata"]["title"] == demo.SEVERAL_THINK_TITLE
    streaming = reply_messages("<think>a</think>草稿<think>b", True, False, None)
    assert streaming[0]["metadata"]["status"] == "pending" and streaming[1]["content"] == "草稿"
    assert all(
        "several" not in str(m).lower() for m in reply_messages("<think>a</think>答", True, True, None)
    )


HOSTILE = (
    '<img src="http://x.example/a.png" srcset="http://x.example/b.png 2x"> ![i](http://x.example/c.png) '
    "![r][ref] [link](http://x.example/d) <http://x.example/e>\n\n[ref]: http://x.example/f.png\n"
    '<form action="http://x.example/g"><input></form><div style="background:url(http://x.example/h)">'
    "\\[already escaped\\] \\\\[escaped backslash then a live bracket]"
)


def test_inert_markdown_leaves_no_tag_or_link_syntax_and_is_stable():
    inert = demo.inert_markdown(HOSTILE)
    assert "<" not in inert
    assert re.search(r"(?<!\\)(?:\\\\)*[\[\]]", inert.replace("\\\\", "")) is None  # every bracket escaped
    assert r"\[already escaped\]" in inert and r"\\\[escaped backslash" in inert
    assert demo.inert_markdown(inert) == inert  # the history comes back through the chatbot


def test_every_chat_message_is_rendered_inert():
    chatbot = demo.inert_chatbot()
    shown = chatbot.postprocess(
        [
            {"role": "user", "content": HOSTILE},
            {"role": "assistant", "content": HOSTILE, "metadata": {"title": THINKING_TITLE}},
            gr.ChatMessage(role="assistant", content=HOSTILE),
            {"role": "user", "content": [{"type": "text", "text": HOSTILE}]},
        ]
    )
    texts = [part.text for message in shown.root for part in message.content]
    assert len(texts) == 4 and all(text == demo.inert_markdown(HOSTILE) for text in texts)
    assert chatbot.postprocess(None).root == []
    assert not list(Path(demo.__file__).parent.glob("*.pyi"))  # Gradio wrote no stub into the package


def test_content_security_policy_is_added_to_every_http_response():
    import asyncio

    sent = []

    async def app(scope, receive, send):
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]}
        )
        await send({"type": "http.response.body", "body": b""})

    async def send(message):
        sent.append(message)

    asyncio.run(demo.ContentSecurityPolicy(app)({"type": "http"}, None, send))
    headers = dict(sent[0]["headers"])
    assert headers[b"content-security-policy"].decode() == demo.CONTENT_SECURITY_POLICY
    assert "img-src 'self' data: blob:" in demo.CONTENT_SECURITY_POLICY
    assert "form-action 'self'" in demo.CONTENT_SECURITY_POLICY


def test_examples_come_from_gold_and_one_per_red_team_category(tmp_path):
    rows = [{"id": f"g{i}", "input": f"gold question {i}"} for i in range(6)]
    (tmp_path / "gold.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    examples = load_examples(tmp_path, per_source=3)
    assert [e.text for e in examples[:3]] == ["gold question 0", "gold question 1", "gold question 2"]
    red_team = examples[3:]
    assert len(red_team) == 3 and all(e.label.startswith("🚨") for e in red_team)
    assert len(load_examples(per_source=2)) == 4  # the bundled sample when no --data
    with pytest.raises(FileNotFoundError, match="medqa prepare"):
        load_examples(tmp_path / "missing")


@pytest.fixture(scope="module")
def tiny_chat(tiny_model_dir):
    pool = ModelPool({"tiny": ModelSpec(str(tiny_model_dir))})
    return ChatDemo(pool, max_input_chars=200)


def chat_turn(chat: ChatDemo, message: str, history=(), max_new_tokens: int = 8):
    return chat.respond(message, list(history), "tiny", True, 0.7, 0.9, max_new_tokens)


def test_banner_is_shown_before_any_model_text(tiny_chat):
    outputs = list(chat_turn(tiny_chat, "我胸痛，喘不上气"))
    first_reply, first_banner = outputs[0]
    assert first_banner["visible"] is True and "120" in first_banner["value"]
    assert first_reply[0]["metadata"]["status"] == "pending" and first_reply[0]["content"] == "…"
    assert len(outputs) > 2  # streamed: the placeholder, the growing text, the final reply
    follow_up = [{"role": "user", "content": "我胸痛，喘不上气"}, {"role": "assistant", "content": "答"}]
    assert next(chat_turn(tiny_chat, "还需要注意什么？", follow_up))[1]["visible"] is True
    assert next(chat_turn(tiny_chat, "我最近总是头痛"))[1]["visible"] is False


def test_over_long_input_and_unknown_model_are_refused(tiny_chat):
    with pytest.raises(gr.Error, match="Input too long"):
        next(chat_turn(tiny_chat, "x" * 201))
    with pytest.raises(gr.Error, match="Unknown model"):
        next(tiny_chat.respond("hi", [], "other", True, 0.7, 0.9, 8))


def test_closing_the_reply_stops_generation(tiny_chat):
    """What the stop button does: Gradio closes the reply generator, which must end the model's thread."""
    reply = chat_turn(tiny_chat, "我最近总是头痛", max_new_tokens=2000)
    next(reply), next(reply)  # the placeholder, then the first streamed text
    reply.close()
    assert not [t for t in threading.enumerate() if t.name == "medqa-stream-chat" and t.is_alive()]


def space_front_matter() -> dict:
    text = (SPACE_DIR / "README.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])


def test_space_readme_front_matter():
    meta = space_front_matter()
    assert meta["sdk"] == "gradio" and meta["sdk_version"] == gr.__version__  # the version tests run
    assert (SPACE_DIR / meta["app_file"]).is_file()
    assert meta["models"] and meta["title"] and meta["suggested_hardware"]
    assert 0 < len(meta["short_description"]) <= 60  # the Hub's limit


def test_space_readme_documents_every_environment_variable():
    documented = set(
        re.findall(r"^\| `([A-Z_]+)`", (SPACE_DIR / "README.md").read_text(encoding="utf-8"), re.M)
    )
    assert set(demo.SPACE_ENV_OPTIONS) <= documented


def test_push_space_dry_run_stages_the_app_with_the_package(tmp_path, capsys):
    from medqa import space

    parser = argparse.ArgumentParser()
    space.add_arguments(parser)
    staged = tmp_path / "space"
    args = parser.parse_args(["--repo", "me/medqa-demo", "--dry-run", "--staging-dir", str(staged)])
    assert space.main(args) == 0
    for name in (
        "app.py",
        "README.md",
        "requirements.txt",
        "medqa/demo.py",
        "medqa/resources/red_team/red_team.jsonl",
    ):
        assert (staged / name).is_file(), name
    assert not list(staged.rglob("__pycache__"))
    assert "[dry-run] would push" in capsys.readouterr().out
    assert space.main(args) == 0  # a staging dir is rebuilt, not refused
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "notes.txt").write_text("keep me")
    with pytest.raises(StagingError, match="not staged by medqa"):
        stage_space(tmp_path / "precious")
    assert (tmp_path / "precious" / "notes.txt").read_text() == "keep me"
