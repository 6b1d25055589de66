"""The Hardware table's verdict cell marks a context longer than the model was trained for (issue 18)."""
from __future__ import annotations

from app.core.fit import Device, FitOptions, fit

GiB = 1024 ** 3


def _cpu(gib: float) -> list[Device]:
    return [Device(id="cpu", name="CPU", kind="cpu", total_bytes=int(gib * GiB), free_bytes=int(gib * GiB))]


def test_a_context_past_the_trained_one_is_marked_where_the_verdict_is_shown(starter_model):
    """The Hardware table said "fits" for SmolLM2 at 32,768 tokens (trained for 8,192); now the cell says so."""
    from app.core.gguf.header import read_model_file
    from app.core.fit.model_profile import profile_from_gguf
    from app.ui.hardware.hardware_models import describe

    profile = profile_from_gguf(read_model_file(starter_model))
    at = {n: fit(profile, FitOptions(n_ctx=n), _cpu(64)) for n in (4096, 32768)}
    assert at[4096].beyond_trained == 0 and at[32768].beyond_trained == 8192

    class Row:
        model = type("M", (), {"name": "SmolLM2", "path": starter_model})()
        error = ""

    for n, res in at.items():
        row = Row()
        row.result = res
        label = describe(row).cells[1]
        assert ("past its trained 8,192" in label) == (n == 32768), label
