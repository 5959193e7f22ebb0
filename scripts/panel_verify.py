"""Re-run a citizens' panel draw from its published volunteer list (docs/panels.md).

    python3 scripts/panel_verify.py --seed SEED --volunteers volunteers.csv --seats 24

The same as running digikunta/panels/draw.py itself, the file the site draws with (its page
offers it for download too): only the Python standard library is needed.
"""

import runpy
from pathlib import Path

DRAW = Path(__file__).resolve().parent.parent / "digikunta" / "panels" / "draw.py"

if __name__ == "__main__":
    runpy.run_path(str(DRAW), run_name="__main__")
