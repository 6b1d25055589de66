"""Guards against a Qt-binding bug that would crash Hearth mid-session.

PySide6 6.12.0 decrements the reference count of Python's ``True`` on every signal emission; after a few
thousand emits (a long streamed reply) the interpreter aborts with "bool_dealloc". pyproject pins a version
without it; this test fails if a binding with the bug is ever installed.
"""
import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    sig = Signal(int, str)
    sig_obj = Signal(object)


def test_signal_emission_keeps_reference_counts(qapp):
    e = Emitter()
    received = []
    e.sig.connect(lambda a, b: received.append(a))
    e.sig_obj.connect(lambda o: received.append(o))
    before_true, before_false = sys.getrefcount(True), sys.getrefcount(False)
    for i in range(500):
        e.sig.emit(i, "x")
        e.sig_obj.emit({"n": i})
    assert len(received) == 1000
    # a few references may come and go with the interpreter's own work; 500+ lost ones mean the bug
    assert abs(sys.getrefcount(True) - before_true) < 50
    assert abs(sys.getrefcount(False) - before_false) < 50
