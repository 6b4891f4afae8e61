#!/bin/sh
# CLI tests for accepted drift (--accept FILE and the policy key "accept"):
# an accepted difference meets the level it broke, is shown with its
# reason in every format, a stale entry is a note, a bad file is exit 2.
# usage: sh tests/accept.sh ./imgdrift; prints "N passed, M failed" last.
NAME=accept; . tests/lib.sh "$@"
R=corpus/real
C=corpus/causes
acc() { printf '%s\n' "$1" >"$T/accept.json"; }

# The port in etc/imgdrift/app.conf moved: exit 1, accepted: exit 0.
status 1 "content without accept" diff --require dependency-equivalent $R/content-a.tar $R/content-b.tar
acc '{"accept": [{"path": "/etc/imgdrift/app.conf", "class": "content", "reason": "port 8081 since TICKET-7"},
  {"path": "var/log/**", "class": "timestamp", "reason": "logs move"}]}'
status 0 "accepted content" diff --require dependency-equivalent --accept "$T/accept.json" $R/content-a.tar $R/content-b.tar
# The digests still differ: the default level stays out of reach.
status 1 "accept does not reach same-digest" diff --accept "$T/accept.json" $R/content-a.tar $R/content-b.tar
$RUN diff --require dependency-equivalent --accept "$T/accept.json" $R/content-a.tar $R/content-b.tar >"$T/x"
if grep -q '^  content  *1  layers 1  (1 accepted)$' "$T/x" &&
    grep -q '^          accepted: port 8081 since TICKET-7$' "$T/x" &&
    grep -q "^  accept entry 2 (path var/log/\*\*, timestamp) matched nothing: stale" "$T/x"
then ok; else bad "text: accepted and stale"; cat "$T/x"; fi
$RUN diff --format json --require dependency-equivalent --accept "$T/accept.json" $R/content-a.tar $R/content-b.tar >"$T/x"
if python3 - "$T/x" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["meets"] and d["verdict"] == "dependency-equivalent", d["verdict"]
f = [x for x in d["findings"] if x["path"] == "etc/imgdrift/app.conf"]
assert f and all(x["accepted"] == "port 8081 since TICKET-7" for x in f), f
assert all("accepted" in x for x in d["findings"])
assert d["accept_stale"] == [{"path": "var/log/**", "class": "timestamp",
    "cause": None, "reason": "logs move"}], d["accept_stale"]
assert any("stale" in n for n in d["notes"]), d["notes"]
PY
then ok; else bad "json: accepted and accept_stale"; fi
# Without --accept the keys are there, empty.
$RUN diff --format json $R/content-a.tar $R/content-b.tar >"$T/x"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["accept_stale"] == [] and all(f["accepted"] is None for f in d["findings"])' "$T/x"
then ok; else bad "json without accept"; fi
$RUN diff --format markdown --accept "$T/accept.json" $R/content-a.tar $R/content-b.tar >"$T/x"
if grep -q '| content | 1 (1 accepted) |' "$T/x" && grep -q '\*\*accepted\*\*: port 8081' "$T/x"
then ok; else bad "markdown: accepted"; cat "$T/x"; fi
# JUnit: an accepted finding is no failure.
$RUN diff --format junit --require dependency-equivalent --accept "$T/accept.json" $R/content-a.tar $R/content-b.tar >"$T/x"
if ! grep -q '<failure' "$T/x" && grep -q 'accepted: port 8081' "$T/x"
then ok; else bad "junit: accepted is a failure"; cat "$T/x"; fi

# The same list as the policy key; --accept adds to it.
printf '%s\n' '{"require": "dependency-equivalent", "accept": [{"path": "etc/imgdrift/*.conf", "reason": "port"}]}' >"$T/policy.json"
status 0 "policy accept" diff --policy "$T/policy.json" $R/content-a.tar $R/content-b.tar
printf '%s\n' '{"require": "dependency-equivalent", "accept": [{"path": "etc/other", "reason": "r"}]}' >"$T/policy.json"
status 1 "policy accept of another path" diff --policy "$T/policy.json" $R/content-a.tar $R/content-b.tar
status 0 "--accept adds to the policy" diff --policy "$T/policy.json" --accept "$T/accept.json" $R/content-a.tar $R/content-b.tar

# Class and cause: a permission change; known-volatile files by cause.
acc '{"accept": [{"path": "etc/imgdrift/app.conf", "class": "content", "reason": "r"}]}'
status 1 "accept of another class" diff --require dependency-equivalent --accept "$T/accept.json" $R/perm-mode-a.tar $R/perm-mode-b.tar
acc '{"accept": [{"path": "etc/imgdrift/app.conf", "class": "permission", "reason": "0600 on purpose"}]}'
status 0 "accepted permission" diff --require dependency-equivalent --accept "$T/accept.json" $R/perm-mode-a.tar $R/perm-mode-b.tar
status 1 "volatile files" diff --require dependency-equivalent $C/volatile-a.tar $C/volatile-b.tar
acc '{"accept": [{"class": "content", "cause": "pyc-mtime", "reason": "pyc"}]}'
status 1 "volatile files and another cause" diff --require dependency-equivalent --accept "$T/accept.json" $C/volatile-a.tar $C/volatile-b.tar
acc '{"accept": [{"class": "content", "cause": "known-volatile", "reason": "logs, seeds and lists"},
  {"path": "usr/share/app/plugins.list", "cause": "line-order", "reason": "order"},
  {"class": "content", "cause": "no-such-cause", "reason": "typo"}]}'
$RUN diff --format json --require dependency-equivalent --accept "$T/accept.json" $C/volatile-a.tar $C/volatile-b.tar >"$T/x"
rc=$?
if [ $rc -eq 0 ] && python3 - "$T/x" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = [f for f in d["findings"] if f["cause"] and f["cause"].startswith("known-volatile")]
assert v and all(f["accepted"] == "logs, seeds and lists" for f in v), v
assert [s["cause"] for s in d["accept_stale"]] == ["no-such-cause"], d["accept_stale"]
PY
then ok; else bad "accepted volatile files by cause (exit $rc)"; fi

# A fingerprint holds no file bytes: an entry naming a cause is not applied,
# and not stale either; but for the known-volatile rules that need only a
# path, which hold without the bytes.
$RUN record -o "$T/vb.fp" $C/volatile-b.tar
$RUN diff --format json --require dependency-equivalent --accept "$T/accept.json" $C/volatile-a.tar "$T/vb.fp" >"$T/x"
rc=$?
if [ $rc -eq 1 ] && python3 - "$T/x" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["accept_stale"] == [], d["accept_stale"]
assert "accept entry 2 names a cause, which only file bytes prove: not applied" in d["notes"], d["notes"]
f = [f for f in d["findings"] if f["path"] == "etc/machine-id"][0]
assert f["accepted"] == "logs, seeds and lists", f
PY
then ok; else bad "cause entry with a fingerprint (exit $rc)"; fi

# Each bad accept file: one line naming the file, exit 2.
while IFS='|' read -r what json needle; do
	acc "$json"
	trouble "accept $what" "$needle" diff --accept "$T/accept.json" $R/retag-a.tar $R/retag-b.tar </dev/null
done <<'BAD'
not JSON|nope|accept.json.*line 1
no reason|{"accept": [{"path": "x", "class": "content"}]}|"reason" is missing
unknown class|{"accept": [{"path": "x", "class": "mtime", "reason": "r"}]}|unknown class 'mtime'
unknown key|{"accept": [{"path": "x", "reason": "r", "note": "n"}]}|unknown key "note"
unknown top key|{"accept": [], "exclude": []}|unknown key "exclude"
not a list|{"accept": {"path": "x"}}|"accept" must be a list
BAD
trouble "accept missing" "cannot open" diff --accept "$T/nope.json" $R/retag-a.tar $R/retag-b.tar
printf '%s\n' '{"accept": [{"path": "x", "class": "content"}]}' >"$T/policy.json"
trouble "policy accept without reason" "policy.*\"reason\" is missing" diff --policy "$T/policy.json" $R/retag-a.tar $R/retag-b.tar
# A hostile reason is escaped like every other string.
acc "$(printf '{"accept": [{"path": "etc/imgdrift/app.conf", "reason": "evil\\u001b[2J"}]}')"
$RUN diff --accept "$T/accept.json" $R/content-a.tar $R/content-b.tar >"$T/x"
if python3 tests/check_escaped.py "$T/x" >/dev/null && grep -q 'accepted: evil\\x1b\[2J' "$T/x"
then ok; else bad "reason not escaped"; grep accepted "$T/x"; fi

finish
