"""The floor: msgspec decoding the log into the event Structs, and nothing else
(read in the same 32 MB chunks as the store, cycle collector off)."""

import gc
import sys
import time

import msgspec

from tui_followup.core.events import AnyEvent

start = time.perf_counter()
gc.disable()
decoder = msgspec.json.Decoder(AnyEvent)
events = []
with open(sys.argv[1], "rb") as f:
    carry = b""
    while chunk := f.read(32 * 1024 * 1024):
        data = carry + chunk
        end = data.rfind(b"\n") + 1
        carry = data[end:]
        events.extend(decoder.decode_lines(data[:end]))
print(f"{time.perf_counter() - start:.3f} {len(events)}")
