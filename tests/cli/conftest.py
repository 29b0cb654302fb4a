"""The command-line tests' data home: a fresh folder, also the working directory."""
import pytest


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECT_TUI_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path
