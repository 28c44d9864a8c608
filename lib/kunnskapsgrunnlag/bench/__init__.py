"""``make bench``: what the batch costs, against the naive loop and a fair floor, honestly.

Figures (each from ``--runs`` interleaved rounds, at least three for the full bench; min and
median reported, targets judged on the median):

- ``batch_s``: ``kg run --force --jobs N`` for every selected county, to finished reports,
  portal and ``indicators.csv``; ``peak_rss_mb``: the most memory its process tree held;
- ``noop_s``: ``kg run`` again with nothing changed;
- ``one_chapter_s``: ``kg run`` after one chapter notebook changed (a comment added to its last
  code cell; by default the chapter of median cost, named in the output): only that chapter
  runs again in every county, the reports are rebuilt;
- ``floor_s``: the same work without kernels (:mod:`.floor`): the chapters' code as plain Python
  in N processes, the same executed notebooks, reports, portal and ``indicators.csv``;
- ``naive_s``: :data:`~.measure.NAIVE`, exactly. It costs ~10 s a notebook, so it runs for
  ``--naive-counties`` counties and is scaled to all selected counties by the number of
  notebooks (each notebook is its own pair of processes, one after another: the cost is
  linear); the output says so;
- ``report_mb``: the largest county report, and ``ten_chapter_mb``: that report scaled to ten
  chapters (its size / chapters × 10, so the page shell is counted ten times: an upper bound);
- ``live_requests`` / ``distinct_queries``: one live batch against the local fake SSB server.

A round runs batch, no-op, one chapter changed, floor and naive in that order, so background
load (the machine may be shared) falls on every figure alike; the output prints the load
average before and after. Every command runs in a copy of the project (:mod:`.measure`).
"""

from kunnskapsgrunnlag.bench.output import bench_cli, table
from kunnskapsgrunnlag.bench.rounds import TARGETS, machine, run_bench, summarise, verdict

__all__ = ["TARGETS", "bench_cli", "machine", "run_bench", "summarise", "table", "verdict"]
