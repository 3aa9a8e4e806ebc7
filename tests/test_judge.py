"""The LLM judge: strict verdict parsing, retries, counted failures, the key policy, human calibration.

Verdict semantics, malformed replies, timeouts and failures mid-run come from a scripted judge (stdlib
http.server on 127.0.0.1, in a thread); the plumbing is checked once against a real OpenAI-compatible
server, `transformers serve`, started here on a tiny Qwen3 scripted to reply with a JSON verdict.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from predictions import prediction_row, write_predictions
from scripted_model import build_scripted_checkpoint

from medqa.cli import main as cli_main
from medqa.formatting import split_think
from medqa.metrics.judge import (
    JUDGE_LABELS,
    CachedJudge,
    JudgeReplyError,
    JudgeSettings,
    OpenAIJudge,
    judge_items,
    key_allowed,
    load_rubrics,
    parse_verdict,
)
from medqa.metrics.stats import cohen_kappa

FIXTURES = Path(__file__).parent / "fixtures"
LABELS = FIXTURES / "safety_labeled.jsonl"
SECRET = "sk-test-0123456789-do-not-leak"
QUESTION = re.compile(r"Question:\n<<<\n(.*?)\n>>>", re.S)
ANSWER = re.compile(r"Answer:\n<<<\n(.*?)\n>>>", re.S)


def metric_of(prompt: str) -> str:
    return "emergency_directed" if "emergency care NOW" in prompt else "risky"


class ScriptedJudge:
    """What the scripted server answers: `reply(question, metric, attempt)` -> (status, body text)."""

    def __init__(
        self, reply: Callable[..., tuple[int, str]], delay_s: float = 0.0, with_answer: bool = False
    ):
        self.reply, self.delay_s, self.with_answer = reply, delay_s, with_answer
        self.requests: list[dict] = []
        self.attempts: dict[tuple[str, str], int] = {}
        self.in_flight = self.peak_in_flight = 0
        self.lock = threading.Lock()


def chat_completion(content: str) -> str:
    return json.dumps({"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]})


@contextmanager
def scripted_server(script: ScriptedJudge) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            prompt = body["messages"][-1]["content"]
            question, metric = QUESTION.search(prompt).group(1), metric_of(prompt)
            with script.lock:
                script.in_flight += 1
                script.peak_in_flight = max(script.peak_in_flight, script.in_flight)
                attempt = script.attempts.get((question, metric), 0)
                script.attempts[(question, metric)] = attempt + 1
                script.requests.append(
                    {"path": self.path, "authorization": self.headers.get("Authorization"), "body": body}
                )
            try:
                time.sleep(script.delay_s)
                extra = (ANSWER.search(prompt).group(1),) if script.with_answer else ()
                status, text = script.reply(question, metric, attempt, *extra)
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout under test)
            finally:
                with script.lock:
                    script.in_flight -= 1

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def settings(url: str, **overrides) -> JudgeSettings:
    values = {"retries": 2, "backoff_s": 0.01, "timeout_s": 2.0, "concurrency": 3, "max_tokens": 64}
    return JudgeSettings(url, "scripted-judge", **(values | overrides))


# ------------------------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ('{"verdict": true}', True),
        ('{"verdict": "False", "reason": "no referral"}', False),
        ('{"verdict": " yes "}', True),
        ('Sure.\n```json\n{"verdict": false, "reason": "x"}\n```\nHope this helps {not json}.', False),
        ('{"audit": {"details": {"n": 1}, "verdict": "no"}}', False),
        ('{"risky": true}', True),
        ('<think>maybe {"verdict": false}</think>\n{"verdict": true}', True),
        ('Format: {"verdict": true or false}. Answer: {"verdict": false}', False),
        ('[{"verdict": true}]', True),
    ],
)
def test_verdicts_are_read_strictly_through_prose_nesting_and_quoting(reply, expected):
    assert parse_verdict(reply, "risky") is expected


@pytest.mark.parametrize(
    "reply",
    ['{"verdict": "maybe"}', '{"verdict": 1}', '{"verdict": null}', '{"reason": "x"}', "true", "", "{broken"],
)
def test_replies_without_a_boolean_verdict_are_bad_replies(reply):
    with pytest.raises(JudgeReplyError):
        parse_verdict(reply, "risky")


def test_rubrics_are_a_versioned_file_with_one_prompt_per_metric(tmp_path):
    rubrics = load_rubrics()
    assert isinstance(rubrics.version, int) and set(JUDGE_LABELS) <= set(rubrics.prompts)
    prompt = rubrics.prompt("risky", "问 {answer} 题", "答")
    assert "问 {answer} 题" in prompt and "<<<\n答\n>>>" in prompt
    broken = tmp_path / "rubrics.json"
    broken.write_text('{"version": 1, "metrics": {"risky": {"prompt": "{question} {answer}"}}}')
    with pytest.raises(ValueError, match="emergency_directed"):
        load_rubrics(broken)


# ------------------------------------------------------------------------------ scripted judge server


def test_semantics_retries_backoff_and_counted_failures():
    replies = {
        "plain": lambda attempt: (200, chat_completion('{"verdict": true}')),
        "quoted": lambda attempt: (200, chat_completion('{"verdict": "false"}')),
        "prose": lambda attempt: (200, chat_completion('Verdict below.\n{"verdict": true, "reason": "120"}')),
        "flaky": lambda attempt: (
            (503, "busy") if attempt < 2 else (200, chat_completion('{"verdict": true}'))
        ),
        "maybe": lambda attempt: (200, chat_completion('{"verdict": "maybe"}')),
        "no-json": lambda attempt: (200, chat_completion("I would rather not say.")),
        "not-completion": lambda attempt: (200, '{"error": "model not loaded"}'),
        "unauthorised": lambda attempt: (401, '{"error": "bad key"}'),
    }
    script = ScriptedJudge(lambda question, metric, attempt: replies[question](attempt), delay_s=0.02)
    with scripted_server(script) as url:
        judgements = judge_items(OpenAIJudge(settings(url)), [(q, "answer") for q in replies] * 2)
    outcome = dict(zip(list(replies) * 2, judgements, strict=True))
    assert outcome["plain"].verdict == {"emergency_directed": True, "risky": True}
    assert outcome["quoted"].verdict == {"emergency_directed": False, "risky": False}
    assert outcome["prose"].verdict == {"emergency_directed": True, "risky": True}
    assert outcome["flaky"].verdict == {"emergency_directed": True, "risky": True}  # third attempt
    assert "verdict is not a boolean: 'maybe' (after 3 attempts)" in outcome["maybe"].error
    assert "no JSON object" in outcome["no-json"].error
    assert "not a chat completion" in outcome["not-completion"].error
    assert "HTTP 401" in outcome["unauthorised"].error
    # Transient failures and bad replies are retried (3 attempts), an auth failure is not.
    assert script.attempts[("maybe", "emergency_directed")] == 6  # 2 items x 3 attempts
    assert script.attempts[("unauthorised", "emergency_directed")] == 2  # 2 items x 1 attempt
    assert 1 < script.peak_in_flight <= 3  # concurrent, and bounded by the setting
    for request in script.requests:
        assert request["path"] == "/v1/chat/completions"
        body = request["body"]
        assert body["temperature"] == 0 and body["max_tokens"] == 64 and body["model"] == "scripted-judge"


def test_timeouts_are_retried_then_counted(monkeypatch):
    def slow(question, metric, attempt):
        if question == "slow":
            time.sleep(1.0)
        return 200, chat_completion('{"verdict": false}')

    script = ScriptedJudge(slow)
    with scripted_server(script) as url:
        judgements = judge_items(
            OpenAIJudge(settings(url, timeout_s=0.3, retries=1)), [("slow", "a"), ("ok", "a")]
        )
    assert (
        not judgements[0].ok
        and "timed out" in judgements[0].error
        and "after 2 attempts" in judgements[0].error
    )
    assert judgements[1].verdict == {"emergency_directed": False, "risky": False}
    assert script.attempts[("slow", "emergency_directed")] == 2


def test_the_key_goes_only_over_https_or_to_localhost_and_is_never_shown(monkeypatch, capsys, tmp_path):
    assert key_allowed("https://api.example.com/v1")
    for local in (
        "http://127.0.0.1:8000/v1",
        "http://localhost:8000/v1",
        "http://[::1]:8000/v1",
        "http://127.1.2.3/",
    ):
        assert key_allowed(local), local
    for remote in (
        "http://api.example.com/v1",
        "http://10.0.0.5:8000/v1",
        "http://localhost.example.com/",
        "ftp://x/",
    ):
        assert not key_allowed(remote), remote

    monkeypatch.setenv("MEDQA_TEST_JUDGE_KEY", SECRET)
    echo = ScriptedJudge(lambda question, metric, attempt: (500, f"cannot use key {SECRET}"))
    with scripted_server(echo) as url:
        (judgement,) = judge_items(
            OpenAIJudge(settings(url, api_key_env="MEDQA_TEST_JUDGE_KEY")), [("q", "a")]
        )
        assert all(r["authorization"] == f"Bearer {SECRET}" for r in echo.requests)  # localhost: sent
        assert SECRET not in judgement.error

        # Plain http to another host: the same server, reached as the HTTP proxy for judge.example.com,
        # sees the request, but no key in it.
        proxied = ScriptedJudge(lambda question, metric, attempt: (200, chat_completion('{"verdict": true}')))
    with scripted_server(proxied) as proxy_url:
        monkeypatch.setenv("http_proxy", proxy_url.removesuffix("/v1"))
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        remote = OpenAIJudge(settings("http://judge.example.com/v1", api_key_env="MEDQA_TEST_JUDGE_KEY"))
        (judgement,) = judge_items(remote, [("q", "a")])
    assert judgement.verdict == {"emergency_directed": True, "risky": True}
    assert proxied.requests and all(r["authorization"] is None for r in proxied.requests)
    assert proxied.requests[0]["path"] == "http://judge.example.com/v1/chat/completions"
    err = capsys.readouterr().err
    assert "not sending $MEDQA_TEST_JUDGE_KEY to http://judge.example.com" in err and SECRET not in err
    assert SECRET not in repr(remote.settings)


def test_cache_keeps_verdicts_only_and_survives_a_torn_line(tmp_path):
    calls = []

    def judge(question, answer):
        calls.append(question)
        if question == "fails":
            raise RuntimeError("judge down")
        return {"emergency_directed": True, "risky": False}

    cache = tmp_path / "cache.jsonl"
    cached = CachedJudge(judge, cache, name="j")
    assert [j.ok for j in judge_items(cached, [("a", "x"), ("fails", "x")])] == [True, False]
    with cache.open("a") as handle:
        handle.write('{"key": "torn')
    again = CachedJudge(judge, cache, name="j")
    assert [j.ok for j in judge_items(again, [("a", "x"), ("fails", "x")])] == [True, False]
    assert calls.count("a") == 1 and calls.count("fails") == 2


# ----------------------------------------------------------------------------- medqa evaluate, end to end


def labelled_rows():
    return [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_evaluate_calibrates_against_humans_and_survives_judge_failures_mid_run(tmp_path, monkeypatch):
    """The scripted judge agrees with the human labels except on a few known rows, and fails outright
    (HTTP 500 on every attempt) on others in the middle of the run: the report is complete and counts them."""
    rows = labelled_rows()
    item = {row["id"]: (row["question"], split_think(row["output"]).answer) for row in rows}
    assert len(set(item.values())) == len(rows)  # the scripted judge tells rows apart by what it is shown
    human = {item[row["id"]]: row["labels"] for row in rows}
    flipped = {item[rows[i]["id"]] for i in (1, 4, 7)}
    failing = {item[rows[i]["id"]] for i in range(len(rows) // 2, len(rows) // 2 + 3)}

    def reply(question, metric, attempt, answer):
        if (question, answer) in failing:
            return 500, "internal error"
        verdict = bool(human[(question, answer)][metric]) != ((question, answer) in flipped)
        return 200, chat_completion(
            f'Here you go: {{"verdict": "{str(verdict).lower()}", "reason": "scripted"}}'
        )

    monkeypatch.setenv("MEDQA_TEST_JUDGE_KEY", SECRET)
    predictions = write_predictions(tmp_path / "preds.jsonl", map(prediction_row, rows))
    out = tmp_path / "report"
    script = ScriptedJudge(reply, with_answer=True)
    with scripted_server(script) as url:
        argv = ["evaluate", str(predictions), "--out", str(out), "--judge-url", url, "--judge-model", "m"]
        argv += [
            "--calibrate",
            str(LABELS),
            "--judge-retries",
            "1",
            "--judge-api-key-env",
            "MEDQA_TEST_JUDGE_KEY",
        ]
        assert cli_main(argv) == 0

    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    agreement = report["judge"]["preds"]
    assert agreement["items"] == len(rows) and agreement["failed"] == len(failing)
    assert {f["id"] for f in agreement["failures"]} == {r["id"] for r in rows if item[r["id"]] in failing}
    assert all("HTTP 500" in f["error"] and "after 2 attempts" in f["error"] for f in agreement["failures"])

    calibration = report["judge_calibration"]
    assert calibration["failed"] == len(failing) and calibration["judged"] == len(rows) - len(failing)
    for label in JUDGE_LABELS:
        kept = [r for r in rows if item[r["id"]] not in failing and isinstance(r["labels"].get(label), bool)]
        truth = [r["labels"][label] for r in kept]
        judged = [r["labels"][label] != (item[r["id"]] in flipped) for r in kept]
        tp = sum(t and j for t, j in zip(truth, judged, strict=True))
        entry = calibration[label]
        assert entry["n"] == len(kept)
        assert entry["precision"]["k"] == tp and entry["precision"]["n"] == sum(judged)
        assert entry["recall"]["k"] == tp and entry["recall"]["n"] == sum(truth)
        assert entry["kappa"] == pytest.approx(cohen_kappa(truth, judged))
        low, high = entry["kappa_ci"]
        assert low <= entry["kappa"] <= high
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "Judge calibration against human labels" in markdown and f"{len(failing)} failed" in markdown
    for written in out.iterdir():
        assert SECRET not in written.read_text(encoding="utf-8", errors="replace"), written


def test_calibrate_needs_a_judge(tmp_path):
    predictions = write_predictions(tmp_path / "preds.jsonl", map(prediction_row, labelled_rows()[:3]))
    with pytest.raises(SystemExit, match="--calibrate needs --judge-url"):
        cli_main(["evaluate", str(predictions), "--out", str(tmp_path / "o"), "--calibrate", str(LABELS)])


# --------------------------------------------------------------------------- a real OpenAI-compatible server


@pytest.mark.slow
def test_against_a_real_transformers_serve(tiny_model_dir, tmp_path):
    """`transformers serve` on 127.0.0.1 with a tiny Qwen3 that always answers `{"verdict": true}`."""
    reply = '{"verdict": true}'
    judge_model = build_scripted_checkpoint(
        tiny_model_dir, tmp_path / "judge-model", reply, added_tokens=[reply]
    )
    port = free_port()
    command = [str(Path(sys.executable).with_name("transformers")), "serve", str(judge_model)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--device", "cpu", "--dtype", "float32"]
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=os.environ | {"HF_HUB_OFFLINE": "1"}
        )
    try:
        url = f"http://127.0.0.1:{port}/v1"
        wait_for(url + "/models", server, log_path)
        rows = labelled_rows()[:6]
        predictions = write_predictions(tmp_path / "preds.jsonl", map(prediction_row, rows))
        labels = tmp_path / "labels.jsonl"  # the same rows: calibration reuses the cached verdicts
        labels.write_text(
            "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
        )
        out = tmp_path / "report"
        argv = [
            "evaluate",
            str(predictions),
            "--out",
            str(out),
            "--judge-url",
            url,
            "--judge-model",
            str(judge_model),
        ]
        argv += ["--calibrate", str(labels), "--judge-max-tokens", "16", "--judge-concurrency", "2"]
        assert cli_main(argv) == 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["judge"]["preds"]["failed"] == 0 and report["judge"]["preds"]["judged"] == 6
    calibration = report["judge_calibration"]
    assert calibration["failed"] == 0
    # The scripted judge says "true" to everything: recall 1, precision = the share of human positives.
    for label in JUDGE_LABELS:
        entry = calibration[label]
        assert entry["judge_positive"] == entry["n"] and entry["recall"]["rate"] in (1.0, None)
        assert entry["precision"]["k"] == entry["human_positive"]
    cache = [json.loads(line) for line in (out / "judge_cache.jsonl").read_text().splitlines()]
    assert cache and all(entry["verdict"] == {"emergency_directed": True, "risky": True} for entry in cache)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log_path: Path, timeout_s: float = 180) -> None:
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with opener.open(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
    pytest.fail(f"transformers serve did not answer {url} (exit code {process.poll()}):\n{tail}")
