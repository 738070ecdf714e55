"""A stand-in for `millrace bridge --stdio` while the core side does not exist yet (tests only).

Speaks the bridge protocol of docs/bridge.md over stdin/stdout. The workspace passed with -w holds
`fake-bridge.json` (datastores, computes, environments, canned answers); every request is appended
to `bridge-calls.jsonl` there, so tests assert on exactly what the package sent (e.g. the compiled
spec of `sdk/submit`). Mutating calls (registrations) are kept in that state file.
"""

import json
import os
import sys
import uuid

WS = sys.argv[sys.argv.index("-w") + 1]
STATE_FILE = os.path.join(WS, "fake-bridge.json")
LOG_FILE = os.path.join(WS, "bridge-calls.jsonl")


def load():
    with open(STATE_FILE, encoding="utf-8") as fh:
        return json.load(fh)


def save(state):
    tmp = STATE_FILE + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(state, fh, indent=1)
    os.replace(tmp, STATE_FILE)


class Fail(Exception):
    def __init__(self, code, message, details=None):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details


def ds_record(state, name):
    return {"name": name, "path": state["datastores"][name], "exists": True}


def fake_run(run_id, args):
    """A just-submitted run as `sdk/run` returns it (docs/bridge.md, SdkRunRecord)."""
    spec = args["spec"]
    base = {"experiment": args["experiment"], "status": "NotStarted", "reusedFrom": None, "createdAt":
            "2026-01-01T00:00:00.000Z", "startedAt": None, "endedAt": None, "error": None, "properties": {},
            "tags": args.get("tags") or {}, "metrics": {}, "logFiles": {}, "submittedBy": "tester", "target": "local"}
    steps = []
    for n, (sid, s) in enumerate(spec["steps"].items()):
        steps.append(dict(base, kind="step", id="%s-s%d" % (run_id, n), parentId=run_id, stepId=sid,
                          name=s.get("display_name", sid), inputs={}, outputs={}, xAzureml=s.get("x-azureml"),
                          runDir=os.path.join(WS, "runs", run_id, sid), tags={}))
    return dict(base, kind="pipeline", id=run_id, parentId=None, stepId=None, name=spec.get("name"),
                parameters=args.get("parameters") or {}, trigger={"kind": "sdk"}, pipelineFile=None,
                publishedPipelineId=None, runDir=os.path.join(WS, "runs", run_id), inputs={}, outputs={},
                xAzureml=spec.get("x-azureml"), steps=steps)


def handle(state, name, args):
    answers = state.get("answers", {})
    if name in answers:
        answer = answers[name]
        if isinstance(answer, dict) and "__error__" in answer:
            e = answer["__error__"]
            raise Fail(e["code"], e["message"], e.get("details"))
        return answer
    if name == "server/info":
        return {"name": "millrace", "version": "0.1.0", "workspace": WS, "url": state.get("url", "http://127.0.0.1:8765"),
                "served": state.get("served", False)}
    if name == "datastores/list":
        return [ds_record(state, n) for n in state["datastores"]]
    if name == "datastores/register":
        if args["name"] not in state["datastores"]:
            path = os.path.join(WS, "datastores", args["name"])
            os.makedirs(path, exist_ok=True)
            state["datastores"][args["name"]] = path
            save(state)
        return ds_record(state, args["name"])
    if name == "compute/list":
        return [{"name": c, "type": "local", "maxConcurrency": 2} for c in state["computes"]]
    if name == "compute/ensure":
        if args["name"] not in state["computes"]:
            state["computes"].append(args["name"])
            save(state)
        return {"name": args["name"], "type": "local", "maxConcurrency": min(args.get("maxNodes") or 2, 2)}
    if name == "sdk/environment-list":
        out = [{"name": n, "version": None, "source": "millrace.yml", "python": p}
               for n, p in state["environments"].items()]
        return out + [dict(r, source="sdk") for r in state.get("sdkEnvironments", [])]
    if name == "sdk/environment-register":
        versions = [r for r in state.setdefault("sdkEnvironments", []) if r["name"] == args["name"]]
        if versions and versions[-1]["definition"] == args["definition"]:
            return versions[-1]
        rec = {"name": args["name"], "version": len(versions) + 1, "definition": args["definition"]}
        state["sdkEnvironments"].append(rec)
        save(state)
        return rec
    if name == "sdk/environment-get":
        versions = [r for r in state.get("sdkEnvironments", []) if r["name"] == args["name"]
                    and args.get("version") in (None, str(r["version"]))]
        if not versions:
            raise Fail("not_found", "no environment '%s'" % args["name"])
        return dict(versions[-1], source="sdk")
    if name == "sdk/validate":
        return {"errors": state.get("validateErrors", [])}
    if name == "sdk/submit":
        run_id = "run-%d" % (len(state.setdefault("submits", [])) + 1)
        state["submits"].append(run_id)
        save(state)
        steps = [{"stepId": sid, "displayName": s.get("display_name", sid), "codeHash": "c0de" + sid[:4],
                  "allowReuse": s.get("allow_reuse", True)} for sid, s in args["spec"]["steps"].items()]
        run = fake_run(run_id, args)
        if state.get("completeOnSubmit"):
            run["status"] = "Completed"
            for s in run["steps"]:
                s["status"] = "Completed"
        state.setdefault("runs", {})[run_id] = run
        for s in run["steps"]:
            state["runs"][s["id"]] = s
        save(state)
        return {"run": run, "pipelineFile": os.path.join(WS, "pipelines", "sdk", "%s-0000abcd.yml" % args["name"]),
                "steps": steps}
    if name == "sdk/run":
        runs = state.get("runs", {})
        if args["id"] not in runs:
            raise Fail("not_found", "no run '%s'" % args["id"])
        return runs[args["id"]]
    if name == "sdk/run-metrics":
        runs = state.get("runs", {})
        if args["id"] not in runs:
            raise Fail("not_found", "no run '%s'" % args["id"])
        run = runs[args["id"]]
        return {r["id"]: r.get("metrics") or {} for r in [run] + list(run.get("steps") or [])}
    if name == "tokens/sdk":
        return {"name": "azureml-sdk", "token": "mr_fake-token"}
    if name == "datasets/register":
        versions = [r for r in state.setdefault("datasets", []) if r["name"] == args["name"]]
        definition = {k: args.get(k) for k in ("kind", "paths", "format")}
        if versions:
            latest = versions[-1]
            if {k: latest.get(k) for k in ("kind", "paths", "format")} == definition:
                return latest
            if not args.get("createNewVersion"):
                raise Fail("conflict", "dataset '%s' exists with another definition; pass create_new_version=True"
                           % args["name"])
        rec = dict(definition, name=args["name"], version=len(versions) + 1, id=str(uuid.uuid4()),
                   datastore=args["paths"][0]["datastore"], path=args["paths"][0]["path"],
                   description=args.get("description"), tags=args.get("tags") or {}, createdAt="2026-01-01T00:00:00.000Z")
        state["datasets"].append(rec)
        save(state)
        return rec
    if name == "datasets/list":
        return state.get("datasets", [])
    if name == "datasets/get":
        versions = [r for r in state.get("datasets", []) if r["name"] == args["name"]
                    and args.get("version") in (None, r["version"])]
        if not versions:
            raise Fail("not_found", "no dataset '%s'" % args["name"])
        return versions[-1]
    if name == "datasets/get-by-id":
        for r in state.get("datasets", []):
            if r["id"] == args["id"]:
                return r
        raise Fail("not_found", "no dataset with id '%s'" % args["id"])
    if name == "models/register":
        versions = [r for r in state.setdefault("models", []) if r["name"] == args["name"]]
        version = len(versions) + 1
        src = args.get("path") or os.path.join(WS, "runs", args.get("runId", "?"), args.get("artifactPath", ""))
        dest_dir = os.path.join(WS, "models", args["name"], str(version))
        os.makedirs(dest_dir, exist_ok=True)
        dest = os.path.join(dest_dir, os.path.basename(src.rstrip("/")))
        if os.path.isdir(src):
            import shutil
            shutil.copytree(src, dest)
        elif os.path.isfile(src):
            import shutil
            shutil.copyfile(src, dest)
        rec = {"name": args["name"], "version": version, "id": "%s:%d" % (args["name"], version), "path": dest,
               "tags": args.get("tags") or {}, "properties": args.get("properties") or {},
               "description": args.get("description"), "runId": args.get("runId"), "experiment": args.get("experiment"),
               "createdAt": "2026-01-0%dT00:00:00.000Z" % version, "source": {k: args.get(k) for k in ("path", "runId", "artifactPath")}}
        state["models"].append(rec)
        save(state)
        return rec
    if name == "models/list":
        out = [r for r in reversed(state.get("models", [])) if args.get("name") in (None, r["name"])
               and args.get("runId") in (None, r["runId"])]
        if args.get("latest"):
            seen, latest = set(), []
            for r in out:
                if r["name"] not in seen:
                    seen.add(r["name"])
                    latest.append(r)
            out = latest
        return out
    if name == "models/get":
        found = [r for r in state.get("models", []) if r["name"] == args["name"] and args.get("version") in (None, r["version"])]
        if not found:
            raise Fail("not_found", "no model '%s'" % args["name"])
        return found[-1]
    raise Fail("not_found", "fake bridge: no answer for %s" % name)


def main():
    state = load()
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        with open(LOG_FILE, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"name": msg["name"], "args": msg["args"], "bridgePid": os.getpid(),
                                 "argv": sys.argv[1:], "script": os.environ.get("MILLRACE_SDK_SCRIPT")}) + "\n")
        if msg["name"] == "test/exit":
            sys.exit(msg["args"].get("code", 3))
        try:
            answer = {"id": msg["id"], "result": handle(state, msg["name"], msg["args"])}
        except Fail as f:
            answer = {"id": msg["id"], "error": {"code": f.code, "message": f.message}}
            if f.details:
                answer["error"]["details"] = f.details
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
        state = load()


if __name__ == "__main__":
    main()
