#!/usr/bin/env python3
"""Writes an export file (a JSON array of session records, the format of `sessiondb export`)
with N sessions shaped like Minsky's own: usage: gen-sessions.py N FILE"""
import json
import sys
from datetime import datetime, timedelta, timezone

n, out = int(sys.argv[1]), sys.argv[2]
start = datetime(2024, 1, 1, tzinfo=timezone.utc)
with open(out, "w") as f:
    f.write("[")
    for i in range(n):
        created = start + timedelta(minutes=7 * i)
        r = {
            "session": f"task-md-{i:06d}",
            "repoName": "minsky",
            "repoUrl": "https://github.com/edobry/minsky.git",
            "createdAt": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "taskId": f"md#{i % 5000}",
            "branch": f"task-md-{i:06d}",
            "repoPath": f"/home/u/.local/state/minsky/sessions/task-md-{i:06d}",
            "backendType": "github",
        }
        if i % 3 == 0:
            r["prBranch"] = f"pr/task-md-{i:06d}"
            r["prApproved"] = i % 2 == 0
            r["prState"] = {"branchName": f"pr/task-md-{i:06d}", "exists": True,
                            "lastChecked": created.strftime("%Y-%m-%dT%H:%M:%S.000Z")}
        if i % 10 == 0:
            r["pullRequest"] = {"number": i, "url": f"https://github.com/edobry/minsky/pull/{i}",
                                "title": f"md#{i}: change", "state": "open"}
            r["customField"] = {"kept": [1, 2, 3]}
        if i:
            f.write(",")
        f.write(json.dumps(r, separators=(",", ":")))
    f.write("]\n")
