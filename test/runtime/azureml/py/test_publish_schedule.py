"""Publishing, pipeline endpoints and schedules: what the package sends over the bridge and shows back."""

import io
import unittest
from contextlib import redirect_stderr, redirect_stdout

from support import WorkspaceCase

PP = {"id": "pp-1", "name": "training_pipeline", "version": "1", "description": "d", "pipeline": "driver",
      "sourceFile": "pipelines/sdk/driver-0000abcd.yml", "parameters": {}, "status": "Active", "enabled": True,
      "createdAt": "2026-01-01T00:00:00.000Z", "endpoint": "http://127.0.0.1:8765/pipelines/v1.0/PipelineRuns/"
      "PipelineSubmit/pp-1", "pipelineEndpoints": [], "continueOnStepFailure": None,
      "stepNames": ["Prepare Data", "Train Model"]}
EP = {"id": "ep-1", "name": "training", "description": None, "defaultVersion": "1", "defaultPipelineId": "pp-1",
      "status": "Active", "versions": [
          {"version": "1", "publishedPipelineId": "pp-1", "name": "training_pipeline", "enabled": True, "isDefault": True,
           "addedAt": "2026-01-01T00:00:00.000Z"},
          {"version": "2", "publishedPipelineId": "pp-2", "name": "training_pipeline", "enabled": True,
           "isDefault": False, "addedAt": "2026-01-02T00:00:00.000Z"}],
      "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": "2026-01-01T00:00:00.000Z",
      "endpoint": "http://127.0.0.1:8765/pipelines/v1.0/PipelineRuns/PipelineEndpointSubmit/Name/training"}
SCHEDULE = {"id": "5f3c9a52-0000-4000-8000-000000000001", "name": "weekly", "kind": "recurrence",
            "target": {"publishedId": "pp-1"}, "experiment": "exp", "parameters": {"reg_rate": 0.1},
            "recurrence": {"frequency": "Week", "interval": 1, "timeZone": "UTC", "hours": [6], "minutes": [15],
                           "weekDays": ["Tuesday"], "startTime": "2026-01-01T00:00:00"},
            "dataChange": None, "enabled": True, "catchUp": False, "lastFireTime": None, "nextFireTime": None,
            "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": "2026-01-01T00:00:00.000Z", "description": None,
            "continueOnStepFailure": None}
SUBMIT = {"Id": "run-9", "Status": "NotStarted", "ExperimentName": "exp", "PipelineId": "pp-1", "PipelineEndpointId": None,
          "Description": None, "ParameterAssignments": {}, "Tags": {}, "CreatedDate": "2026-01-01T00:00:00.000Z",
          "RunUrl": "http://127.0.0.1:8765/api/v1/runs/run-9"}


def run_record(run_id):
    return {"kind": "pipeline", "id": run_id, "parentId": None, "stepId": None, "name": "p", "experiment": "exp",
            "status": "NotStarted", "steps": [], "tags": {}, "properties": {}, "metrics": {}}


class Publishing(WorkspaceCase):
    def setUp(self):
        super().setUp()
        self.src = self.folder("scripts", {"prep.py": ""})
        self.state["answers"] = {"sdk/publish": PP, "published/get": PP, "published/list": [PP],
                                 "published/submit": SUBMIT, "endpoints/get": EP, "endpoints/list": [EP],
                                 "endpoints/submit": SUBMIT, "endpoints/set-default": EP, "endpoints/create": EP,
                                 "endpoints/add": EP, "sdk/published-yaml": {"yaml": "name: driver\n"}}
        self.state["runs"] = {"run-9": run_record("run-9")}
        self.write_state()

    def pipeline(self):
        from azureml.core import Workspace
        from azureml.pipeline.core import Pipeline
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        return ws, Pipeline(ws, [PythonScriptStep("prep.py", name="Prepare Data", source_directory=self.src)],
                            description="Model training pipeline")

    def test_publish_submit_and_rest_endpoint(self):
        ws, p = self.pipeline()
        pp = p.publish(name="training_pipeline", description="Model training pipeline", version="1.0")
        args = self.calls("sdk/publish")[0]["args"]
        self.assertEqual((args["publishName"], args["version"], args["description"]),
                         ("training_pipeline", "1.0", "Model training pipeline"))
        self.assertIn("Prepare_Data", args["spec"]["steps"])
        self.assertEqual((pp.id, pp.status, pp.total_run_steps, pp.get_step_names()),
                         ("pp-1", "Active", 2, ["Prepare Data", "Train Model"]))
        err = io.StringIO()
        with redirect_stderr(err):
            url = pp.endpoint
            pp.endpoint  # noqa: B018 - the warning is printed once
        self.assertTrue(url.endswith("/PipelineSubmit/pp-1"))
        self.assertEqual(err.getvalue().count("millrace: no `millrace serve` owns this workspace now"), 1)
        self.assertEqual(repr(pp), "PublishedPipeline(Name: training_pipeline, Id: pp-1, Status: Active, Endpoint: %s)"
                         % PP["endpoint"])
        from azureml.core import Experiment
        from azureml.data.datapath import DataPath
        out = io.StringIO()
        with redirect_stdout(out):
            run = Experiment(ws, "exp").submit(pp, pipeline_parameters={
                "reg_rate": 0.1, "raw": DataPath(ws.get_default_datastore(), "new")})
        sub = self.calls("published/submit")[0]["args"]
        self.assertEqual(sub, {"id": "pp-1", "experiment": "exp", "parameters": {"reg_rate": 0.1},
                               "dataPaths": {"raw": {"DataStoreName": "default", "RelativePath": "new"}}})
        self.assertEqual(run.id, "run-9")
        self.assertEqual(out.getvalue().splitlines()[0], "Submitted PipelineRun run-9")
        saved = pp.save(self.project)
        with open(saved) as fh:
            self.assertEqual(fh.read(), "name: driver\n")

    def test_pipeline_endpoints(self):
        from azureml.pipeline.core import PipelineEndpoint, PublishedPipeline
        ws, p = self.pipeline()
        ep = PipelineEndpoint.publish(workspace=ws, name="training", description="d", pipeline=p)
        self.assertTrue(self.calls("sdk/publish")[0]["args"]["newEndpoint"])
        self.assertEqual((ep.id, ep.default_version, ep.status), ("ep-1", "1", "Active"))
        with redirect_stderr(io.StringIO()):
            self.assertTrue(ep.endpoint.endswith("/PipelineEndpointSubmit/Id/ep-1"))
        self.assertEqual([(v.version, v.pipeline_id) for v in ep.list_versions()], [("1", "pp-1"), ("2", "pp-2")])
        pp = PublishedPipeline.get(ws, "pp-1")
        ep.add_default(pp)
        self.assertEqual(self.calls("endpoints/add")[0]["args"], {"name": "ep-1", "publishedPipelineId": "pp-1",
                                                                  "setDefault": True})
        ep.set_default_version(2)
        self.assertEqual(self.calls("endpoints/set-default")[0]["args"], {"name": "ep-1", "version": "2"})
        with redirect_stdout(io.StringIO()):
            ep.submit("exp", pipeline_parameters={"n": 3}, pipeline_version="2")
        self.assertEqual(self.calls("endpoints/submit")[0]["args"], {"name": "ep-1", "pipelineVersion": "2",
                                                                     "experiment": "exp", "parameters": {"n": 3}})
        self.assertEqual(PipelineEndpoint.get(ws, name="training").name, "training")


class Schedules(WorkspaceCase):
    def setUp(self):
        super().setUp()
        data = dict(SCHEDULE, id="5f3c9a52-0000-4000-8000-000000000002", name="on data", kind="dataChange",
                    recurrence=None, enabled=False, createdAt="2026-01-02T00:00:00.000Z",
                    dataChange={"datastore": "default", "pathOnDatastore": "incoming", "mode": "perFile",
                                "dataPathParameterName": "raw", "polling": False})
        self.state["answers"] = {"schedules/create": SCHEDULE, "schedules/get": SCHEDULE, "schedules/list": [data, SCHEDULE],
                                 "schedules/update": dict(SCHEDULE, name="weekly-renamed"),
                                 "schedules/disable": dict(SCHEDULE, enabled=False),
                                 "schedules/runs": {"items": [], "total": 0, "limit": 1, "offset": 0}}
        self.write_state()

    def test_create_a_recurrence_schedule(self):
        from azureml.core import Workspace
        from azureml.pipeline.core import Schedule, ScheduleRecurrence, TimeZone
        ws = Workspace.from_config()
        recurrence = ScheduleRecurrence(frequency="Week", interval=1, week_days=["Tuesday"], time_of_day="06:15",
                                        time_zone=TimeZone.GMTStandardTime)
        err = io.StringIO()
        with redirect_stderr(err):
            s = Schedule.create(ws, name="weekly", pipeline_id="pp-1", experiment_name="exp", recurrence=recurrence,
                                pipeline_parameters={"reg_rate": 0.1}, description="every tuesday")
        args = self.calls("schedules/create")[0]["args"]
        self.assertEqual(args, {"name": "weekly", "pipeline": "pp-1", "experiment": "exp", "parameters": {"reg_rate": 0.1},
                                "description": "every tuesday", "allowDuplicateName": True, "recurrence": {
                                    "frequency": "Week", "interval": 1, "timeZone": "Europe/London", "hours": [6],
                                    "minutes": [15], "weekDays": ["Tuesday"]}})
        self.assertIn("millrace: no `millrace serve` owns this workspace now: schedules fire only while", err.getvalue())
        self.assertEqual((s.id, s.status, s.pipeline_id, s.recurrence.time_zone), (SCHEDULE["id"], "Active", "pp-1", "UTC"))
        self.assertEqual(str(s), "Runs at 06:15 on Tuesday every 1 Week from 2026-01-01T00:00:00 (UTC)")

    def test_a_datastore_schedule_and_the_either_or_rule(self):
        from azureml.core import Workspace
        from azureml.exceptions import MillraceNotSupportedError, UserErrorException
        from azureml.pipeline.core import Schedule, ScheduleRecurrence
        ws = Workspace.from_config()
        with redirect_stderr(io.StringIO()):
            Schedule.create(ws, name="on data", pipeline_id="pp-1", experiment_name="exp", datastore=ws.get_default_datastore(),
                            path_on_datastore="incoming", data_path_parameter_name="raw", polling_interval=2)
        args = self.calls("schedules/create")[0]["args"]
        self.assertEqual(args["dataChange"], {"datastore": "default", "path": "incoming", "mode": "perFile",
                                              "dataPathParameterName": "raw"})
        self.assertEqual(args["pollingInterval"], 2)
        with self.assertRaisesRegex(UserErrorException, "not both"):
            Schedule.create(ws, "x", "pp-1", "exp", recurrence=ScheduleRecurrence("Day", 1), datastore="default")
        with self.assertRaisesRegex(UserErrorException, "not neither"):
            Schedule.create(ws, "x", "pp-1", "exp")
        with self.assertRaises(MillraceNotSupportedError):
            Schedule.create(ws, "x", "pp-1", "exp", recurrence=ScheduleRecurrence("Day", 1),
                            pipeline_parameters={"when": "@scheduledTime"})

    def test_list_get_update_disable(self):
        from azureml.core import Workspace
        from azureml.exceptions import UserErrorException
        from azureml.pipeline.core import Schedule, ScheduleRecurrence
        ws = Workspace.from_config()
        self.assertEqual([s.name for s in Schedule.list(ws)], ["weekly"])
        self.assertEqual([s.name for s in Schedule.list(ws, active_only=False)], ["weekly", "on data"])
        self.assertEqual(len(Schedule.get_schedules_for_pipeline_id(ws, "pp-1")), 2)
        s = Schedule.get(ws, SCHEDULE["id"])
        self.assertEqual(self.calls("schedules/get")[0]["args"], {"name": SCHEDULE["id"]})
        s.update(name="weekly-renamed", pipeline_parameters={"epochs": 3})
        args = self.calls("schedules/update")[0]["args"]
        self.assertEqual((args["name"], args["newName"], args["pipeline"], args["experiment"]),
                         (SCHEDULE["id"], "weekly-renamed", "pp-1", "exp"))
        self.assertEqual(args["parameters"], {"reg_rate": 0.1, "epochs": 3})
        self.assertEqual(args["recurrence"], SCHEDULE["recurrence"])
        self.assertEqual((s.name, s.id), ("weekly-renamed", SCHEDULE["id"]))
        s.disable()
        self.assertEqual(s.status, "Disabled")
        with self.assertRaisesRegex(UserErrorException, "recurrence schedule; it cannot watch a datastore"):
            s.update(datastore="default")
        data = Schedule.list(ws, active_only=False)[1]
        self.assertIsNone(data.recurrence)
        self.assertEqual((data.datastore_name, data.path_on_datastore, data.data_path_parameter_name),
                         ("default", "incoming", "raw"))
        with self.assertRaisesRegex(UserErrorException, "data-change schedule; it cannot get a recurrence"):
            data.update(recurrence=ScheduleRecurrence("Day", 1))
        self.assertIsNone(s.get_last_pipeline_run())


if __name__ == "__main__":
    unittest.main()
