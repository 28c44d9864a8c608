"""Record the golden backtests: build 03 Oslo (nb) and 46 Vestland (nn) and store what a reader sees.

Run ``make golden`` (or ``python tests/backtests/backtest_record.py``) after an *intended* change of report
text or of ``indicators.csv``, and commit the re-recorded files in the same commit, with the reason
in the commit message. ``tests/backtests/test_compare_outputs.py`` compares every build with them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
COUNTIES = {"03": "03-oslo", "46": "46-vestland"}


def build(out: Path) -> None:
    """Build the two golden counties' reports into *out* with ``kg run``."""
    env = {**os.environ, "KG_OUTPUTS": str(out), "MPLBACKEND": "Agg"}
    env.pop("KG_CELL_TIMEOUT", None)
    args = [sys.executable, "-m", "kunnskapsgrunnlag", "run", "--force", "--jobs", "2"]
    for code in COUNTIES:
        args += ["--county", code]
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"kg run failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


def views(out: Path) -> dict[str, str]:
    """The golden views of a build in *out*: file name → text."""
    from backtest_view import reader_lines

    result = {}
    for stem in COUNTIES.values():
        page = (out / "reports" / f"{stem}.html").read_text(encoding="utf-8")
        result[f"{stem}.txt"] = "\n".join(reader_lines(page)) + "\n"
    result["indicators.csv"] = (out / "indicators.csv").read_text(encoding="utf-8")
    return result


def main() -> int:
    """Build and write the golden files."""
    work = Path(tempfile.mkdtemp(prefix="kg-golden-"))
    try:
        build(work / "outputs")
        GOLDEN.mkdir(exist_ok=True)
        for name, text in views(work / "outputs").items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
            print(f"recorded {GOLDEN / name}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
