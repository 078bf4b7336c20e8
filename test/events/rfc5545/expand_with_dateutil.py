"""Prints the instants python-dateutil's rrule gives for each example read from stdin (JSON).

Input: [{"name", "start": "YYYY-MM-DDTHH:MM", "rrule", "timeZone", "until": ISO instant}]
Output: {"<name>": ["YYYY-MM-DDTHH:MM:SSZ", ...]} — starts in [start, until), in UTC.
"""
import json
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

out = {}
for example in json.load(sys.stdin):
    zone = ZoneInfo(example["timeZone"])
    # Wall-clock evaluation in the zone, as RFC 5545 asks for a DTSTART with a TZID.
    dtstart = datetime.fromisoformat(example["start"]).replace(tzinfo=zone)
    rule = rrulestr(example["rrule"], dtstart=dtstart)
    until = datetime.fromisoformat(example["until"].replace("Z", "+00:00"))
    found = []
    for start in rule:
        utc = start.astimezone(timezone.utc)
        if utc >= until:
            break
        found.append(utc.strftime("%Y-%m-%dT%H:%M:%SZ"))
    out[example["name"]] = found
json.dump(out, sys.stdout)
