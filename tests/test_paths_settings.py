import json

from app.paths import resolve_paths
from app.settings import SCHEMA_VERSION, Settings


def test_hearth_home_overrides_every_folder(tmp_path):
    p = resolve_paths({"HEARTH_HOME": str(tmp_path)})
    assert p.config_dir == tmp_path / "config"
    assert p.data_dir == tmp_path / "data"
    assert p.log_dir == tmp_path / "logs"
    assert p.default_models_dir == tmp_path / "data" / "models"
    assert p.chats_db.parent == tmp_path / "data"


def test_platformdirs_without_hearth_home():
    p = resolve_paths({})
    assert "Hearth" in str(p.config_dir) and "Hearth" in str(p.data_dir) and "Hearth" in str(p.log_dir)


def test_settings_round_trip_with_schema_version(tmp_path):
    f = tmp_path / "settings.json"
    s = Settings()
    s.n_ctx = 2048
    s.theme = "dark"
    s.save(f)
    raw = json.loads(f.read_text())
    assert raw["schema_version"] == SCHEMA_VERSION
    s2 = Settings.load(f)
    assert s2.n_ctx == 2048 and s2.theme == "dark" and s2.load_warning == ""
    assert not list(tmp_path.glob("*.tmp")), "atomic write leaves no temp files"


def test_corrupt_settings_fall_back_and_are_kept_aside(tmp_path):
    f = tmp_path / "settings.json"
    f.write_text("{not json")
    s = Settings.load(f)
    assert s == Settings()
    assert "default settings" in s.load_warning
    assert (tmp_path / "settings.json.bad").read_text() == "{not json"
    assert not f.exists()


def test_wrong_types_are_rejected_not_half_applied(tmp_path):
    f = tmp_path / "settings.json"
    f.write_text(json.dumps({"schema_version": 1, "n_ctx": "big"}))
    s = Settings.load(f)
    assert s.n_ctx == Settings().n_ctx and s.load_warning


def test_old_schema_migrates(tmp_path):
    f = tmp_path / "settings.json"
    f.write_text(json.dumps({"theme": "dark"}))  # no version: schema 0
    s = Settings.load(f)
    assert s.theme == "dark" and s.schema_version == SCHEMA_VERSION and not s.load_warning
