"""The floor: msgspec decoding the log into the event Structs, and nothing else (read in
the same 128 KiB runs of whole lines as the store reads it, cycle collector off)."""

import gc
import os
import sys
import time

import msgspec

from tui_followup.core.events import AnyEvent
from tui_followup.storage.logfile import READ_CHUNK

start = time.perf_counter()
gc.disable()
decoder = msgspec.json.Decoder(AnyEvent)
events = []
with open(sys.argv[1], "rb") as f:
    carry = b""
    while chunk := f.read(READ_CHUNK):
        data = carry + chunk if carry else chunk
        end = data.rfind(b"\n") + 1
        carry = data[end:]
        events.extend(decoder.decode_lines(data[:end]))
print(f"{time.perf_counter() - start:.3f} {len(events)}")
sys.stdout.flush()
os._exit(0)  # as the app's commands leave: no tearing down of a million objects one by one
