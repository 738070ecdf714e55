"""Run handles (notebook side), wait_for_completion (§10.4i) and the live step run (step side)."""

import io
import json
import os
import unittest
from contextlib import redirect_stdout

from support import WorkspaceCase


def step(run_id, n, step_id, name, status, **extra):
    rec = {"kind": "step", "id": "%s-s%d" % (run_id, n), "parentId": run_id, "stepId": step_id, "name": name,
           "experiment": "exp", "status": status, "reusedFrom": None, "createdAt": "2026-01-01T00:00:00.000Z",
           "startedAt": "2026-01-01T00:00:01.000Z", "endedAt": "2026-01-01T00:00:02.5Z", "error": None,
           "properties": {}, "tags": {}, "metrics": {}, "logFiles": {"user_logs/std_log.txt": "/ws/runs/x/std_log.txt"},
           "submittedBy": "ana", "target": "cpu-cluster", "inputs": {}, "outputs": {}, "xAzureml": None}
    rec.update(extra)
    return rec


def pipeline(run_id, status, steps, **extra):
    rec = {"kind": "pipeline", "id": run_id, "parentId": None, "stepId": None, "name": "pipeline", "experiment": "exp",
           "status": status, "reusedFrom": None, "createdAt": "2026-01-01T00:00:00.000Z",
           "startedAt": "2026-01-01T00:00:00.500Z", "endedAt": "2026-01-01T00:00:03.000Z", "error": None,
           "properties": {"a": "1"}, "tags": {"t": "v"}, "metrics": {"best": 0.9}, "logFiles": {},
           "submittedBy": "ana", "target": "local", "inputs": {}, "outputs": {}, "xAzureml": None, "steps": steps}
    rec.update(extra)
    return rec


class Handles(WorkspaceCase):
    def setUp(self):
        super().setUp()
        out_dir = os.path.join(self.state["datastores"]["default"], "azureml", "r1-s0", "prepped")
        steps = [step("r1", 0, "Prepare_Data", "Prepare Data", "Completed",
                      metrics={"rows": 500, "loss": [0.5, 0.4], "confusion": [{"tp": 1, "fp": 2}, {"tp": 3, "fp": 4}]},
                      outputs={"prepped": {"path": out_dir, "datastore": "default",
                                           "pathOnDatastore": "azureml/r1-s0/prepped"}},
                      xAzureml={"outputs": {"prepped": {"datastore": "workspaceblobstore",
                                                        "pipeline_output_name": "clean"}}}),
                 step("r1", 1, "Train_Model", "Train Model", "Completed", reusedFrom="r0-s1")]
        queued = step("r2", 0, "a", "a", "Queued")
        self.state["runs"] = {"r1": pipeline("r1", "Completed", steps), "r1-s0": steps[0], "r1-s1": steps[1],
                              "r2": pipeline("r2", "Running", [queued]), "r2-s0": queued}
        self.state["answers"] = {"runs/logs": {"step": "x", "stepRunId": "x", "reusedFrom": None, "size": 11,
                                               "offset": 0, "nextOffset": 11, "text": "hello log\n\n"}}
        self.write_state()
        os.makedirs(out_dir)
        with open(os.path.join(out_dir, "part.csv"), "w") as fh:
            fh.write("x\n")

    def test_typed_handles_and_status_words(self):
        from azureml.core import Experiment, Run, Workspace
        from azureml.pipeline.core import PipelineRun, StepRun
        ws = Workspace.from_config()
        run = Run(Experiment(ws, "exp"), "r1")
        self.assertIsInstance(run, PipelineRun)
        self.assertEqual((run.type, run.get_status()), ("azureml.PipelineRun", "Finished"))
        self.assertEqual(Run.get(ws, "r2").get_status(), "Running")
        self.assertEqual(Run.get(ws, "r2").get_details()["status"], "Running")
        steps = list(run.get_steps())
        self.assertEqual([s.name for s in steps], ["Prepare Data", "Train Model"])
        self.assertIsInstance(steps[0], StepRun)
        self.assertEqual(steps[0].get_status(), "Finished")
        self.assertEqual(steps[1].type, "azureml.ReusedStepRun")
        self.assertEqual(Run.get(ws, "r2").find_step_run("a")[0].get_status(), "Queued")
        self.assertEqual(run.find_step_run("Prepare Data")[0].id, "r1-s0")
        self.assertEqual(run.find_step_run("nope"), [])
        self.assertIsInstance(ws.get_run("r1-s0"), StepRun)
        self.assertEqual(ws.get_run("r1-s0").parent.id, "r1")

    def test_details_metrics_and_outputs(self):
        from azureml.core import Run, Workspace
        ws = Workspace.from_config()
        run = Run.get(ws, "r1")
        d = run.get_details()
        self.assertEqual(set(d), {"runId", "status", "startTimeUtc", "endTimeUtc", "target", "properties", "tags",
                                  "inputDatasets", "outputDatasets", "logFiles", "submittedBy"})
        self.assertEqual((d["status"], d["startTimeUtc"], d["endTimeUtc"]),
                         ("Completed", "2026-01-01T00:00:00.500Z", "2026-01-01T00:00:03.000Z"))
        self.assertEqual(run.get_metrics(), {"best": 0.9})
        metrics = run.get_metrics(recursive=True)
        self.assertEqual(list(metrics), ["r1", "r1-s0", "r1-s1"])
        self.assertEqual(metrics["r1-s0"]["confusion"], {"tp": [1, 3], "fp": [2, 4]})
        self.assertEqual(metrics["r1-s0"]["loss"], [0.5, 0.4])
        prep = run.find_step_run("Prepare Data")[0]
        port = prep.get_output_data("prepped")
        self.assertEqual((port.datastore_name, port.path_on_datastore), ("workspaceblobstore", "azureml/r1-s0/prepped"))
        self.assertEqual(run.get_pipeline_output("clean").name, "prepped")
        dest = port.download(local_path=self.project, show_progress=False)
        self.assertTrue(os.path.isfile(os.path.join(dest, "part.csv")))
        self.assertEqual(list(prep.get_outputs()), ["prepped"])
        self.assertEqual(prep.get_job_log(), "hello log\n\n")

    def test_wait_for_completion_of_an_ended_run_prints_the_summary_at_once(self):
        from azureml.core import Run, Workspace
        ws = Workspace.from_config()
        out = io.StringIO()
        with redirect_stdout(out):
            word = Run.get(ws, "r1").wait_for_completion(show_output=True)
        lines = out.getvalue().splitlines()
        self.assertEqual(word, "Finished")
        self.assertEqual(lines[0], "PipelineRunId: r1")
        self.assertIn("StepRun( Prepare Data ) Status: Finished", lines)
        self.assertIn("hello log", lines)
        self.assertIn("This step was reused: its outputs and log are those of step run r0-s1", lines)
        self.assertIn("StepRun(Train Model) Execution Summary", lines)
        status_lines = [l for l in lines if l.startswith("PipelineRun Status:")]
        self.assertEqual(status_lines[-1], "PipelineRun Status: Finished")
        self.assertGreater(lines.index("PipelineRun Execution Summary"), lines.index("StepRun(Train Model) Execution Summary"))

    def test_a_failed_run_raises_naming_steps_and_the_logs_command(self):
        from azureml.core import Run, Workspace
        from azureml.exceptions import ActivityFailedException
        self.state["runs"]["r3"] = pipeline("r3", "Failed", [step("r3", 0, "Train_Model", "Train Model", "Failed",
                                                                  error="exit code 1")], error="a step failed")
        self.write_state()
        ws = Workspace.from_config()
        with redirect_stdout(io.StringIO()):
            with self.assertRaises(ActivityFailedException) as ctx:
                Run.get(ws, "r3").wait_for_completion(show_output=False)
            self.assertEqual(Run.get(ws, "r3").wait_for_completion(raise_on_error=False), "Failed")
        self.assertIn("step 'Train Model' (r3-s0): exit code 1; see `millrace runs logs r3 Train_Model`", str(ctx.exception))

    def test_timeout_returns_the_current_word(self):
        from azureml.core import Run, Workspace
        ws = Workspace.from_config()
        out = io.StringIO()
        with redirect_stdout(out):
            word = Run.get(ws, "r2").wait_for_completion(show_output=True, timeout_seconds=0)
        self.assertEqual(word, "Running")
        self.assertIn("Timed out waiting for PipelineRun r2", out.getvalue())

    def test_get_runs_filters_and_children(self):
        from azureml.core import Experiment, Workspace
        self.state["answers"]["runs/list"] = {"items": [{"id": "r2"}, {"id": "r1"}], "total": 2, "limit": 100, "offset": 0}
        self.write_state()
        exp = Experiment(Workspace.from_config(), "exp")
        self.assertEqual([r.id for r in exp.get_runs()], ["r2", "r1"])
        self.assertEqual([r.id for r in exp.get_runs(tags={"t": "v"})], ["r2", "r1"])
        self.assertEqual([r.id for r in exp.get_runs(tags="missing")], [])
        self.assertEqual([r.id for r in exp.get_runs(include_children=True)], ["r2", "r2-s0", "r1", "r1-s0", "r1-s1"])
        # r1-s1 was reused: its type is azureml.ReusedStepRun
        self.assertEqual([r.id for r in exp.get_runs(include_children=True, type="azureml.StepRun")],
                         ["r2-s0", "r1-s0"])
        self.assertEqual(self.calls("runs/list")[0]["args"], {"experiment": "exp", "limit": 100, "offset": 0})

    def test_unknown_run_and_experiments(self):
        from azureml.core import Experiment, Run, Workspace
        from azureml.exceptions import UserErrorException
        ws = Workspace.from_config()
        with self.assertRaisesRegex(UserErrorException, "no run 'zzz'"):
            Run.get(ws, "zzz")
        with self.assertRaises(UserErrorException):
            Experiment(ws, "   ")
        self.assertEqual(Experiment(ws, "exp").name, "exp")


class LiveStepRun(WorkspaceCase):
    def setUp(self):
        super().setUp()
        self.run_dir = os.path.join(self.ws_dir, "runs", "p1", "Train")
        os.makedirs(self.run_dir)
        self.metrics = os.path.join(self.run_dir, "metrics.jsonl")
        folder = os.path.join(self.ws_dir, "datastores", "default", "sales")
        os.makedirs(folder)
        with open(os.path.join(folder, "a.csv"), "w") as fh:
            fh.write("x\n1\n")
        os.environ.update({
            "MILLRACE_RUN_ID": "p1-s1", "MILLRACE_PARENT_RUN_ID": "p1", "MILLRACE_EXPERIMENT": "exp",
            "MILLRACE_METRICS_FILE": self.metrics, "MILLRACE_RUN_DIR": self.run_dir, "MILLRACE_STEP": "Train",
            "MILLRACE_INPUTS": json.dumps({
                "prepped": {"path": "/data/prepped", "kind": "pipelineData"},
                "sales": {"path": folder, "kind": "tabular", "mode": "direct", "datasetId": "uuid-1",
                          "datasetName": "sales data", "datasetVersion": 2, "files": [os.path.join(folder, "a.csv")],
                          "format": {"type": "delimited", "separator": ",", "header": True, "encoding": "utf8",
                                     "includePath": False}}}),
            "MILLRACE_OUTPUTS": json.dumps({"model": "/data/model"})})
        import millrace.run
        from azureml.core import _context_run
        millrace.run.Run._context = None
        _context_run._context = None

    def records(self):
        import millrace
        millrace.flush()
        with open(self.metrics) as fh:
            return [json.loads(line) for line in fh if line.strip()]

    def test_one_writer_for_both_packages_and_the_parent(self):
        import millrace
        from azureml.core import Run
        run = Run.get_context()
        self.assertIs(Run.get_context(), run)
        self.assertEqual((run.id, run.type, run.get_status()), ("p1-s1", "azureml.StepRun", "Running"))
        run.log("a", 1)
        millrace.Run.get_context().log("b", 2)
        run.parent.log("best", 0.9)
        run.parent.tag("stage", "dev")
        run.log_row("cm", tp=1, fp=2)
        names = [(r["name"], r.get("parent", False)) for r in self.records()]
        self.assertEqual(names, [("a", False), ("b", False), ("best", True), ("stage", True), ("cm", False)])
        self.assertEqual(run.get_metrics(), {"a": 1, "b": 2, "cm": {"tp": [1], "fp": [2]}})
        self.assertEqual(run.experiment.workspace.path, self.ws_dir)
        self.assertEqual(self.calls(), [], "logging needs no bridge")

    def test_fail_writes_a_status_record(self):
        from azureml.core import Run
        Run.get_context().fail(error_details="bad data in row 7")
        last = self.records()[-1]
        self.assertEqual((last["name"], last["kind"], last["value"], last["error"]),
                         ("status", "status", "Failed", "bad data in row 7"))

    def test_inputs_and_outputs_by_the_binding_table(self):
        from azureml.core import Run
        from azureml.data import TabularDataset
        run = Run.get_context()
        self.assertEqual(run.input_datasets["prepped"], "/data/prepped")
        sales = run.input_datasets["sales"]
        self.assertIsInstance(sales, TabularDataset)
        self.assertEqual((sales.name, sales.version, sales.id, sales.to_path()), ("sales data", 2, "uuid-1", ["/a.csv"]))
        self.assertEqual(run.output_datasets["model"], "/data/model")
        with self.assertRaisesRegex(KeyError, "available: prepped, sales"):
            run.input_datasets["missing"]
        with self.assertRaises(TypeError):
            run.input_datasets["x"] = 1

    def test_register_model_finds_an_uncollected_outputs_file(self):
        from azureml.core import Run
        self.folder("outputs", {"model.pkl": "weights"})
        model = Run.get_context().register_model("diabetes_model", model_path="outputs/model.pkl", tags={"a": 1})
        args = self.calls("models/register")[0]["args"]
        self.assertEqual(args["path"], os.path.join(self.project, "outputs", "model.pkl"))
        self.assertEqual((args["runId"], args["experiment"]), ("p1-s1", "exp"))
        self.assertEqual(model.run_id, "p1-s1")


class OfflineRun(WorkspaceCase):
    def test_outside_a_step(self):
        import millrace.run
        from azureml.core import Run, _context_run
        millrace.run.Run._context = None
        _context_run._context = None
        out = io.StringIO()
        with redirect_stdout(out):
            run = Run.get_context()
            run.log("accuracy", 0.9)
        self.assertTrue(run.id.startswith("OfflineRun_"))
        self.assertIn("Attempted to log scalar metric accuracy:", out.getvalue())
        self.assertEqual(dict(run.input_datasets), {})
        self.assertEqual(self.calls(), [])


if __name__ == "__main__":
    unittest.main()
