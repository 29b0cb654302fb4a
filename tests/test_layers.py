"""The layers hold by contract, not by habit: the terminal app, the command
line, the workbooks and the papers reach the record only through the rules;
the rules know nothing of Textual or of their callers; the store imports
nothing of ours. The contracts are in pyproject.toml ([tool.importlinter]);
a new import that breaks one fails here, with import-linter's report."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_the_layers_import_one_way():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout, done.stdout
