"""A naive reader: the standard library's json.loads, one line at a time, into dicts."""

import json
import sys
import time

start = time.perf_counter()
with open(sys.argv[1], encoding="utf-8") as f:
    events = [json.loads(line) for line in f]
print(f"{time.perf_counter() - start:.3f} {len(events)}")
