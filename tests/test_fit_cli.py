"""``hearth fit`` and ``hearth hardware`` as a user runs them."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


from app.cli import main
from tests.core.gguf.test_header import CORPUS
from tests.core.gguf.test_remote import hub  # noqa: F401  (the loopback Hub server fixture)
from tests.support.synth_gguf import model_spec, write_gguf

ROOT = Path(__file__).resolve().parent.parent


def run(args, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=ROOT)


def test_fit_json(starter_model, hearth_home):
    r = run(["fit", str(starter_model), "--ctx", "2048", "--json"], {"HEARTH_HOME": str(hearth_home)})
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for key in ("weights_bytes", "kv_bytes", "compute_bytes", "total_bytes", "verdict", "gpu_layers", "max_ctx"):
        assert key in out
    assert out["verdict"] == "cpu" and out["gpu_layers"] == 0 and out["max_ctx"] == 8192
    assert out["kv_bytes"] == 2048 * 30 * 192 * 2 * 2
    assert out["total_bytes"] == out["weights_bytes"] + out["kv_bytes"] + out["compute_bytes"] + out["output_bytes"]
    # the speed forecast (app/core/fit/speed.py; tests/e2e/test_speed_forecast.py checks it against hearth chat)
    assert out["threads"] >= 1 and out["memory_bandwidth"] > 1e8 and 10 < out["expected_tokens_per_s"] < 10_000
    # the bandwidth was measured once and kept: the next run reads it back and forecasts the same
    assert (hearth_home / "data" / "memory_bandwidth.json").is_file()
    r = run(["fit", str(starter_model), "--json"], {"HEARTH_HOME": str(hearth_home)})
    again = json.loads(r.stdout)
    assert (again["memory_bandwidth"], again["expected_tokens_per_s"]) == (out["memory_bandwidth"],
                                                                           out["expected_tokens_per_s"])


def test_fit_threads_option(starter_model, hearth_home, capsys):
    assert main(["fit", str(starter_model), "--threads", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["threads"] == 1 and out["expected_tokens_per_s"] > 0
    assert main(["fit", str(starter_model), "--threads", "-1"]) == 2
    assert "--threads must be between 0" in capsys.readouterr().err


def test_fit_text_and_options(gemma_model, hearth_home, capsys):
    assert main(["fit", str(gemma_model), "--ctx", "8192", "--kv-type", "q8_0", "--flash-attn"]) == 0
    text = capsys.readouterr().out
    assert "Verdict:  CPU only, fits in RAM" in text and "KV cache q8_0" in text and "Largest context" in text
    assert "Expected speed: about " in text and "tokens/s on the CPU with" in text


def test_fit_errors_are_one_line_exit_2(tmp_path, starter_model, capsys):
    assert main(["fit", str(tmp_path / "nope.gguf")]) == 2
    assert main(["fit", str(starter_model), "--kv-type", "q8_0"]) == 2  # quantized V needs flash attention
    assert main(["fit", "hf://not-a-valid-address.gguf"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and "no such file" in err[0] and "needs flash attention" in err[1]
    for i, (name, (data, message)) in enumerate(sorted(CORPUS.items())):
        p = tmp_path / f"bad{i}.gguf"
        p.write_bytes(data)
        assert main(["fit", str(p), "--json"]) == 2, name
        captured = capsys.readouterr()
        lines = captured.err.strip().splitlines()
        assert len(lines) == 1 and message in lines[0] and captured.out == "", name


def test_fit_malformed_file_in_a_real_process(tmp_path):
    p = tmp_path / "truncated.gguf"
    p.write_bytes(CORPUS["truncated in the tensor data"][0])
    r = run(["fit", str(p)])
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "truncated" in r.stderr and "Traceback" not in r.stderr


def test_fit_remote_header_only(hub, hearth_home):  # noqa: F811
    handler, endpoint, root = hub
    path = write_gguf(root / "llama-8b.gguf", model_spec("llama", n_layer=32))[0]
    # HEARTH_HOME: a remote read reads the settings and writes the network log, never in the real home
    r = run(["fit", "hf://acme/llama-8b-GGUF/llama-8b.gguf", "--json"], {"HF_ENDPOINT": endpoint,
                                                                          "HEARTH_HOME": str(hearth_home)})
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["n_layer"] == 32 and out["file_size"] == path.stat().st_size
    assert 0 < out["header_bytes_fetched"] < path.stat().st_size // 100 and handler.sent < path.stat().st_size // 100
    assert (hearth_home / "data" / "network_log.jsonl").exists()


def test_hardware_command(hearth_home):
    r = run(["hardware", "--json"], {"HEARTH_HOME": str(hearth_home)})
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["ram_total"] > 0 and out["cpu"]["logical_cores"] >= 1 and out["gpus"] == []
    assert out["llama"]["available"] is True and out["disk_free"] > 0
    r = run(["hardware"], {"HEARTH_HOME": str(hearth_home)})
    assert r.returncode == 0 and "Processor:" in r.stdout and "none found" in r.stdout


def test_fit_counts_adapters_and_the_projector(starter_model, gemma_model, hearth_home, tmp_path):
    from tests.support.make_lora import write_lora
    from tests.support.make_mmproj import write_tiny_projector

    env = {"HEARTH_HOME": str(hearth_home)}
    lora = write_lora(tmp_path / "style.gguf", starter_model, rank=8)
    proj = write_tiny_projector(tmp_path / "mmproj.gguf")
    base = json.loads(run(["fit", str(starter_model), "--json"], env).stdout)
    r = run(["fit", str(starter_model), "--json", "--lora", str(lora), "--mmproj", str(proj)], env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [x["kind"] for x in out["extras"]] == ["adapter", "projector"]
    assert out["extra_bytes"] == sum(x["bytes"] for x in out["extras"]) > lora.stat().st_size // 2
    assert out["total_bytes"] == base["total_bytes"] + out["extra_bytes"]
    text = run(["fit", str(starter_model), "--lora", str(lora), "--mmproj", str(proj)], env).stdout
    assert "adapter" in text and "vision projector" in text
    wide = write_tiny_projector(tmp_path / "mmproj-wide.gguf", n_embd_text=960)
    for args, says in ((["--lora", str(write_lora(tmp_path / "g.gguf", gemma_model))], "made for gemma3 models"),
                       (["--mmproj", str(wide)], "makes embeddings 960 wide, and this model's are 576"),
                       (["--lora", str(starter_model)], "is not an adapter")):
        r = run(["fit", str(starter_model), *args], env)
        assert r.returncode == 2 and says in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
