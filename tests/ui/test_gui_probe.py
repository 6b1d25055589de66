"""The responsiveness probe used by the first-reply benchmark and the first-ten-minutes test measures what it
claims: a 120 ms block of the GUI thread shows as one tick ~120 ms late (not as a gap the probe never saw, which
a QTimer on the GUI thread would report as one late tick of unknown cause), and the probe's sample names the
code that blocked."""
from __future__ import annotations

import time

from tests.support.gui_probe import GuiProbe


def block_the_gui_thread() -> None:
    time.sleep(0.12)


def test_the_probe_sees_a_planted_block_and_what_caused_it(qtbot):
    probe = GuiProbe(sample_after_s=0.03).start()
    qtbot.wait(100)
    block_the_gui_thread()
    qtbot.wait(100)
    probe.stop()
    assert 0.10 <= probe.worst() < 1.0  # at least the planted block (more when the machine is busy)
    assert len(probe.blocks(0.05)) >= 1 and all(late < 0.05 for _, late in probe.ticks[:5])
    assert any("block_the_gui_thread" in stack for _, stack in probe.samples)
