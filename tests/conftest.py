"""Settings for the whole suite.

Hypothesis times each example against a deadline (200 ms by default). The suite runs on
machines shared with other work (CI, two cores), where a fold of a generated log can take
longer without anything being wrong: a deadline would make such a test fail for the machine's
load, not for the code. Examples still have to be correct; they no longer have to be quick.
"""

from hypothesis import HealthCheck, settings

settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


import atexit  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

# The catalogues' kept tables (tui_followup/i18n/parsed.py) in a folder of the suite's own, never
# the user's cache: set before the first import of the app, for every process the tests start
# (and taken away when the suite ends).
if "FOLLOWUP_CACHE_DIR" not in os.environ:
    os.environ["FOLLOWUP_CACHE_DIR"] = _kept = tempfile.mkdtemp(prefix="followup-cache-")
    atexit.register(shutil.rmtree, _kept, ignore_errors=True)
