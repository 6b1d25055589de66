"""Chat templates come from model files: untrusted Jinja. llama-cpp-python compiles and renders them in Jinja's
``ImmutableSandboxedEnvironment`` (checked below), so a template reaching for Python internals -- ``__class__``,
``__globals__``, ``__subclasses__``, the template context, list mutation, huge ranges -- fails with a clear reason
and Hearth falls back to a known format (and says so), or renders harmlessly. Nothing is ever executed: each
template tries to create a marker file, which must never appear. Real GGUF copies of the starter model with the
hostile template in their metadata, loaded by the real llama.cpp."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.engine import Engine, LoadOptions
from tests.robustness.gguf_edit import with_chat_template


def hostile_templates(marker: str) -> dict[str, tuple[str, str]]:
    """name -> (template, what the fallback note says)"""
    touch = f"touch {marker}"
    return {
        "subclasses": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "'__class__' of 'str' object is unsafe"),
        "cycler globals": (f"{{{{ cycler.__init__.__globals__.os.system('{touch}') }}}}", "'__init__'"),
        "template context": ("{{ self._TemplateReference__context.cycler.__init__.__globals__.os.system('"
                             + touch + "') }}", "'_TemplateReference__context'"),
        "raise_exception globals": ("{{ raise_exception.__globals__['__builtins__']['__import__']('os').system('"
                                    + touch + "') }}", "'__globals__' of 'function' object is unsafe"),
        "lipsum popen": (f"{{{{ lipsum.__globals__['os'].popen('{touch}').read() }}}}", "'__globals__'"),
        "attr filter": ("{{ (''|attr('__class__')).__mro__ }}", "'__class__'"),
        "format string": ("{{ '{0.__class__.__mro__}'.format('') }}", "'__class__'"),
        "list mutation": ("{{ messages.append({'role': 'system', 'content': 'injected'}) }}",
                          "'append' of 'list' object is unsafe"),
        # refused before compiling: Jinja folds constants at compile time, outside the sandbox
        "huge range": ("{% for i in range(10**9) %}x{% endfor %}", "huge constant"),
        "huge string": ("{{ 'a' * 10**9 }}", "huge constant"),
        "huge string, nested": ("{{ ('a' * 100000) * 100000 }}", "huge constant"),
    }


def test_llama_cpp_python_renders_templates_in_the_immutable_sandbox():
    import jinja2.sandbox
    from llama_cpp import llama_chat_format as lcf

    fmt = lcf.Jinja2ChatFormatter(template="{{ messages[0]['content'] }}", eos_token="", bos_token="")
    assert isinstance(fmt._environment.environment, jinja2.sandbox.ImmutableSandboxedEnvironment)


@pytest.fixture(scope="module")
def hostile_files(starter_model, tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    marker = d / "EXECUTED"
    files = {name: (with_chat_template(starter_model, d / f"{i}.gguf", tpl), note)
             for i, (name, (tpl, note)) in enumerate(hostile_templates(str(marker)).items())}
    return files, marker


def test_hostile_templates_never_execute_and_fall_back_clearly(hostile_files):
    files, marker = hostile_files
    engine = Engine()
    try:
        for name, (path, note) in files.items():
            info = engine.load(path, LoadOptions(n_ctx=256, n_threads=1))
            assert info.template_name == "chatml", name
            assert info.template_source.startswith("chatml (the model's own template failed:"), name
            assert note in info.template_source, (name, info.template_source)
            # the fallback format works: a normal prompt, nothing injected
            prompt = engine.llm.detokenize(engine.prepare([{"role": "user", "content": "hello"}]).tokens, special=True).decode()
            assert "<|im_start|>user\nhello<|im_end|>" in prompt and "injected" not in prompt
    finally:
        engine.unload()
    assert not marker.exists()


def test_harmless_use_of_internals_renders_nothing(starter_model, tmp_path):
    """An unsafe attribute that is only printed renders as nothing (Jinja's "unsafe" undefined); the prompt keeps
    the rest of the template and holds no Python internals."""
    tpl = ("{{ raise_exception.__globals__ }}{{ cycler.__init__ }}{% for m in messages %}<|im_start|>{{ m['role'] }}"
           "\n{{ m['content'] }}<|im_end|>\n{% endfor %}<|im_start|>assistant\n")
    path = with_chat_template(starter_model, tmp_path / "printed.gguf", tpl)
    engine = Engine()
    try:
        info = engine.load(path, LoadOptions(n_ctx=256, n_threads=1))
        assert info.template_name == "model"
        prompt = engine.llm.detokenize(engine.prepare([{"role": "user", "content": "hello"}]).tokens, special=True).decode()
        assert "<|im_start|>user\nhello<|im_end|>" in prompt
        assert "function" not in prompt and "__" not in prompt and "module" not in prompt
    finally:
        engine.unload()


def test_template_turning_hostile_mid_chat_fails_that_turn_only(starter_model, installed_starter, main_window,
                                                                qtbot, tmp_path):
    """A template that behaves at load time and attacks when the user writes a trigger: that turn fails with a
    clear error in the chat, nothing runs, and the next turn (and another model) works."""
    marker = tmp_path / "EXECUTED"
    from app.core.gguf.header import read_header_file

    own = read_header_file(starter_model).metadata["tokenizer.chat_template"]
    trap = ("{% if messages[-1]['content'] == 'open sesame' %}{{ cycler.__init__.__globals__.os.system('touch "
            + str(marker) + "') }}{% endif %}" + own)
    dest = main_window.ctx.models_dir / "trap" / "model" / "trap.gguf"
    dest.parent.mkdir(parents=True)
    with_chat_template(starter_model, dest, trap, keep_weights=True)
    main_window.ctx.settings.n_threads = 1
    page = main_window.chat_page
    page.refresh_models()
    page.model_combo.setCurrentIndex(page.model_combo.findData(str(dest)))
    qtbot.mouseClick(page.load_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not page.engine.loading_path, timeout=60000)
    assert page.engine.info is not None, page.banner.text()
    assert page.engine.info.template_name == "model"
    page.panel.max_tokens.setValue(6)

    def send(text):
        page.input.setPlainText(text)
        with qtbot.waitSignal(page.session.generating_changed, timeout=60000, check_params_cb=lambda x: x is False):
            qtbot.mouseClick(page.send_button, Qt.LeftButton)
        return page.model.messages()[-1]

    reply = send("open sesame")
    assert reply.state == "error"
    assert page.banner.isVisible() and "The chat template failed on this conversation" in page.banner.text()
    assert "unsafe" in page.banner.text()
    assert not marker.exists()
    reply = send("hello")
    assert reply.state == "done" and reply.text.strip()
    # and the regular starter model still loads and answers
    page.model_combo.setCurrentIndex(page.model_combo.findData(str(installed_starter)))
    with qtbot.waitSignal(page.engine.loaded, timeout=60000):
        qtbot.mouseClick(page.load_button, Qt.LeftButton)
    assert send("hello again").state == "done"
    assert not marker.exists()


def test_template_that_does_not_compile_falls_back_with_the_reason(starter_model, tmp_path):
    """llama-cpp-python compiles every metadata template while it builds the model; Hearth keeps it from doing
    so (it uses its own formatter), so a syntax error no longer makes the model unloadable: it falls back to
    chatml and says why, and the model chats."""
    # the real weights: with the zeroed ones every logit is equal and the first token is the end of the turn
    path = with_chat_template(starter_model, tmp_path / "broken.gguf", "{% for m in messages %}{{ m }",
                              keep_weights=True)
    engine = Engine()
    try:
        info = engine.load(path, LoadOptions(n_ctx=256, n_threads=1))
        assert info.template_name == "chatml"
        assert "unexpected" in info.template_source
        from app.core.engine import ReplyStats, Sampling

        stats = ReplyStats()
        # greedy, so the check does not depend on a random seed
        list(engine.stream([{"role": "user", "content": "hi"}], Sampling(max_tokens=3, temperature=0), None, stats))
        assert stats.completion_tokens > 0
    finally:
        engine.unload()
    info = engine.load(starter_model, LoadOptions(n_ctx=256, n_threads=1))
    assert info.template_name == "model"
    engine.unload()
