"""Start-up stays fast because heavy modules load only when needed (the engine thread imports llama_cpp)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_opening_the_window_does_not_import_llama_cpp_or_the_http_stack(tmp_path):
    code = (
        "import sys, os\n"
        "os.environ['QT_QPA_PLATFORM']='offscreen'\n"
        "from app.ui.application import make_context, create_app\n"
        "from app.ui.main_window import MainWindow\n"
        "app = create_app(); w = MainWindow(make_context()); w.show(); app.processEvents()\n"
        "print(sorted(m for m in ('llama_cpp', 'numpy', 'torch', 'httpx2', 'huggingface_hub') if m in sys.modules))\n"
        "w.close()\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       env={"HEARTH_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"},
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]"
