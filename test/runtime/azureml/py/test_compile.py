"""SDK pipelines -> the pipeline spec sent with `sdk/submit` (§10.4b, §10.4c, the argument binding table)."""

import io
import unittest
from contextlib import redirect_stderr, redirect_stdout

from support import WorkspaceCase


class CompileCase(WorkspaceCase):
    computes = ["local", "cpu-cluster"]
    extra_datastores = {"blob_data": None}

    def setUp(self):
        super().setUp()
        self.src = self.folder("scripts", {"prep.py": "", "train.py": "", "score.py": "", "report.py": ""})

    def submit(self, pipeline, **kwargs):
        from azureml.core import Experiment
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            run = Experiment(pipeline._ws, "exp").submit(pipeline, **kwargs)
        self.stdout, self.stderr = out.getvalue(), err.getvalue()
        return run


class PipelineDataFlow(CompileCase):
    def test_prep_then_train_through_pipeline_data(self):
        from azureml.core import Workspace
        from azureml.pipeline.core import Pipeline, PipelineData, PipelineParameter
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        ds = ws.get_default_datastore()
        prepped = PipelineData("prepped_data", datastore=ds)
        reg = PipelineParameter(name="reg_rate", default_value=0.01)
        prep = PythonScriptStep(script_name="prep.py", name="Prepare Data", source_directory=self.src,
                                arguments=["--out_folder", prepped], outputs=[prepped], compute_target="cpu-cluster",
                                allow_reuse=True)
        train = PythonScriptStep(script_name="train.py", name="Train Model", source_directory=self.src,
                                 arguments=["--in_folder", prepped, "--reg", reg, "--epochs", 10, "--scale", 1.0,
                                            "--fast", True],
                                 inputs=[prepped], compute_target="cpu-cluster", allow_reuse=False)
        run = self.submit(Pipeline(ws, steps=[prep, train]))
        spec = self.submitted_spec()
        self.assertEqual(spec["argument_style"], "azureml")
        self.assertEqual(spec["parameters"], {"reg_rate": {"type": "number", "default": 0.01}})
        self.assertEqual(list(spec["steps"]), ["Prepare_Data", "Train_Model"])
        p, t = spec["steps"]["Prepare_Data"], spec["steps"]["Train_Model"]
        self.assertEqual(p["display_name"], "Prepare Data")
        self.assertEqual(p["arguments"], ["--out_folder", "${{outputs.prepped_data}}"])
        self.assertEqual(p["outputs"], {"prepped_data": {"datastore": "default"}})
        self.assertEqual((p["script"], p["source_directory"], p["compute"]), ("prep.py", self.src, "cpu-cluster"))
        self.assertEqual(t["arguments"], ["--in_folder", "${{inputs.prepped_data}}", "--reg", "${{parameters.reg_rate}}",
                                          "--epochs", "10", "--scale", "1.0", "--fast", "True"])
        self.assertEqual(t["inputs"], {"prepped_data": "${{steps.Prepare_Data.outputs.prepped_data}}"})
        self.assertIs(t["allow_reuse"], False)
        self.assertNotIn("allow_reuse", p)
        self.assertNotIn("run_after", t)
        self.assertEqual(run.type, "azureml.PipelineRun")
        self.assertEqual(run.id, "run-1")
        lines = self.stdout.splitlines()
        self.assertEqual(lines[0], "Created step Prepare Data [Prepare_Data][c0dePrep], (This step is eligible to "
                                   "reuse a previous run's output)")
        self.assertEqual(lines[1], "Created step Train Model [Train_Model][c0deTrai], (This step will run and "
                                   "generate new outputs)")
        self.assertEqual(lines[2:], ["Submitted PipelineRun run-1",
                                     "Link to Azure Machine Learning Portal: http://127.0.0.1:8765/#/runs/run-1"])

    def test_a_pipeline_built_from_its_last_step_holds_the_closure(self):
        from azureml.core import Workspace
        from azureml.pipeline.core import Pipeline, PipelineData
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        a, b = PipelineData("a"), PipelineData("b")
        s1 = PythonScriptStep("prep.py", source_directory=self.src, arguments=["--out", a], outputs=[a])
        s2 = PythonScriptStep("train.py", source_directory=self.src, arguments=["--in", a.as_input("raw"), "--out", b],
                              outputs=[b])
        s3 = PythonScriptStep("score.py", source_directory=self.src, arguments=["--in", b.as_mount()])
        report = PythonScriptStep("report.py", source_directory=self.src)
        report.run_after(s3)
        self.submit(Pipeline(ws, [report]))
        spec = self.submitted_spec()
        self.assertEqual(list(spec["steps"]), ["prep_py", "train_py", "score_py", "report_py"])
        self.assertEqual(spec["steps"]["train_py"]["inputs"], {"raw": "${{steps.prep_py.outputs.a}}"})
        self.assertEqual(spec["steps"]["score_py"]["inputs"], {"b": "${{steps.train_py.outputs.b}}"})
        self.assertEqual(spec["steps"]["report_py"]["run_after"], ["score_py"])
        self.assertEqual(spec["steps"]["prep_py"]["display_name"], "prep.py")

    def test_resolve_closure_false_reports_the_missing_producer(self):
        from azureml.core import Workspace
        from azureml.pipeline.core import Pipeline, PipelineData
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        a = PipelineData("a")
        PythonScriptStep("prep.py", name="make a", source_directory=self.src, arguments=[a], outputs=[a])
        use = PythonScriptStep("train.py", name="use a", source_directory=self.src, arguments=[a], inputs=[a])
        problems = Pipeline(ws, [use], resolve_closure=False).validate()
        self.assertEqual(problems, ["step 'use a' depends on step 'make a', which is not in the pipeline "
                                    "(resolve_closure=False)"])
        self.assertEqual(self.calls("sdk/validate"), [])

    def test_parallel_steps_have_no_edges_and_run_after_chains_and_sequences_do(self):
        from azureml.core import Workspace
        from azureml.pipeline.core import Pipeline, StepSequence
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        mk = lambda n: PythonScriptStep("prep.py", name=n, source_directory=self.src)  # noqa: E731
        a, b, c = mk("a"), mk("b"), mk("c")
        self.submit(Pipeline(ws, [a, b, c]))
        self.assertTrue(all("run_after" not in s for s in self.submitted_spec()["steps"].values()))
        x, y, z, w = mk("x"), mk("y"), mk("z"), mk("w")
        self.submit(Pipeline(ws, StepSequence(steps=[x, [y, z], w])))
        steps = self.submitted_spec()["steps"]
        self.assertEqual(list(steps), ["x", "y", "z", "w"])
        self.assertEqual([steps[k].get("run_after") for k in steps], [None, ["x"], ["x"], ["y", "z"]])

    def test_same_display_names_get_numbered_ids(self):
        from azureml.core import Workspace
        from azureml.pipeline.core import Pipeline
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        steps = [PythonScriptStep("prep.py", name="Score Model", source_directory=self.src) for _ in range(3)]
        self.submit(Pipeline(ws, steps))
        spec = self.submitted_spec()
        self.assertEqual(list(spec["steps"]), ["Score_Model", "Score_Model_2", "Score_Model_3"])
        self.assertEqual({s["display_name"] for s in spec["steps"].values()}, {"Score Model"})


class OutputFileDatasetConfigFlow(CompileCase):
    def test_as_input_read_delimited_files_register_on_complete_and_destination(self):
        from azureml.core import Datastore, Workspace
        from azureml.data import OutputFileDatasetConfig
        from azureml.pipeline.core import Pipeline
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        blob = Datastore.get(ws, "blob_data")
        cleaned = OutputFileDatasetConfig(name="cleaned").register_on_complete("clean data", tags={"v": 1})
        unnamed = OutputFileDatasetConfig()
        dest = OutputFileDatasetConfig(name="report", destination=(blob, "reports/{run-id}/{output-name}")).as_upload()
        prep = PythonScriptStep("prep.py", name="prep", source_directory=self.src,
                                arguments=["--cleaned", cleaned, "--extra", unnamed, "--report", dest])
        train = PythonScriptStep("train.py", name="train", source_directory=self.src, arguments=[
            "--table", cleaned.read_delimited_files(separator=";").as_input("training"),
            "--files", unnamed.as_input()])
        self.submit(Pipeline(ws, [train]))
        spec = self.submitted_spec()
        p, t = spec["steps"]["prep"], spec["steps"]["train"]
        self.assertEqual(p["arguments"], ["--cleaned", "${{outputs.cleaned}}", "--extra", "${{outputs.prep_out1}}",
                                          "--report", "${{outputs.report}}"])
        self.assertEqual(p["outputs"]["cleaned"], {"datastore": "default", "register_as": {
            "name": "clean data", "tags": {"v": "1"}, "kind": "tabular", "format": {
                "type": "delimited", "separator": ";", "header": True, "encoding": "utf8", "includePath": False}}})
        self.assertEqual(p["outputs"]["report"], {"datastore": "blob_data", "path": "reports/{run-id}/{output-name}"})
        self.assertEqual(p["x-azureml"]["outputs"]["report"]["mode"], "upload")
        self.assertEqual(t["inputs"]["training"], {
            "output": "${{steps.prep.outputs.cleaned}}", "mode": "direct", "kind": "tabular",
            "format": {"type": "delimited", "separator": ";", "header": True, "encoding": "utf8", "includePath": False}})
        self.assertEqual(t["inputs"]["prep_out1"], "${{steps.prep.outputs.prep_out1}}")
        self.assertEqual(t["arguments"], ["--table", "${{inputs.training}}", "--files", "${{inputs.prep_out1}}"])


class DataPaths(CompileCase):
    def test_datapath_parameters_bindings_and_overrides(self):
        from azureml.core import Datastore, Workspace
        from azureml.data.datapath import DataPath, DataPathComputeBinding
        from azureml.pipeline.core import Pipeline, PipelineParameter
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        store = Datastore(ws, "workspaceblobstore")
        raw = PipelineParameter(name="raw_path", default_value=DataPath(datastore=store, path_on_datastore="raw"))
        binding = (raw, DataPathComputeBinding(mode="mount"))
        step = PythonScriptStep("prep.py", name="prep", source_directory=self.src, arguments=["--raw", binding],
                                inputs=[binding], params={"mode": "full", "rate": PipelineParameter("rate", 3)})
        self.submit(Pipeline(ws, [step]), pipeline_parameters={
            "raw_path": DataPath(datastore=store, path_on_datastore="incoming/2026"), "rate": 5})
        spec = self.submitted_spec()
        self.assertEqual(spec["parameters"], {"raw_path": {"type": "path", "default": "raw"},
                                              "rate": {"type": "integer", "default": 3}})
        self.assertEqual(spec["x-azureml"]["parameters"], {"raw_path": {"datastore": "workspaceblobstore"}})
        s = spec["steps"]["prep"]
        self.assertEqual(s["inputs"], {"raw_path": {"datastore": "default", "path": "${{parameters.raw_path}}"}})
        self.assertEqual(s["arguments"], ["--raw", "${{inputs.raw_path}}"])
        self.assertEqual(s["env"], {"AML_PARAMETER_mode": "full", "AML_PARAMETER_rate": "${{parameters.rate}}"})
        args = self.calls("sdk/submit")[-1]["args"]
        self.assertEqual(args["parameters"], {"rate": 5})
        self.assertEqual(args["dataPaths"], {"raw_path": {"DataStoreName": "workspaceblobstore",
                                                          "RelativePath": "incoming/2026"}})

    def test_data_references_and_modes(self):
        from azureml.core import Workspace
        from azureml.data.data_reference import DataReference
        from azureml.pipeline.core import Pipeline
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        ds = ws.get_default_datastore()
        ref = DataReference(datastore=ds, data_reference_name="raw_data", path_on_datastore="raw/2026")
        step = PythonScriptStep("prep.py", name="prep", source_directory=self.src,
                                arguments=["--raw", ref, "--copy", ds.path("lookup").as_download(path_on_compute="lk")])
        self.submit(Pipeline(ws, [step]))
        s = self.submitted_spec()["steps"]["prep"]
        self.assertEqual(s["inputs"], {"raw_data": {"datastore": "default", "path": "raw/2026"},
                                       "default": {"datastore": "default", "path": "lookup", "mode": "download",
                                                   "path_on_compute": "lk"}})
        self.assertEqual(s["arguments"], ["--raw", "${{inputs.raw_data}}", "--copy", "${{inputs.default}}"])


class Datasets(CompileCase):
    def test_registered_and_unregistered_dataset_inputs(self):
        from azureml.core import Dataset, Workspace
        from azureml.pipeline.core import Pipeline
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        ds = ws.get_default_datastore()
        root = self.state["datastores"]["default"]
        import os
        os.makedirs(os.path.join(root, "sales", "2026"))
        for name in ("a.csv", "b.csv"):
            with open(os.path.join(root, "sales", "2026", name), "w") as fh:
                fh.write("x,y\n1,2\n")
        tab = Dataset.Tabular.from_delimited_files(path=(ds, "sales/**/*.csv"))
        files = Dataset.File.from_files(path=[(ds, "sales/2026/a.csv"), (ds, "sales/2026/b.csv")])
        registered = tab.register(ws, "sales data", tags={"team": "bi"})
        self.assertEqual((registered.name, registered.version), ("sales data", 1))
        step = PythonScriptStep("prep.py", name="prep", source_directory=self.src, arguments=[
            "--direct", registered.as_named_input("sales"), "--glob", tab.as_named_input("globbed").as_mount(),
            "--files", files.as_download(path_on_compute="data")])
        self.submit(Pipeline(ws, [step]))
        s = self.submitted_spec()["steps"]["prep"]
        fmt = {"type": "delimited", "separator": ",", "header": True, "encoding": "utf8", "includePath": False}
        self.assertEqual(s["inputs"]["sales"], {"dataset": "sales data", "version": 1, "mode": "direct"})
        self.assertEqual(s["inputs"]["globbed"], {"datastore": "default", "path": "sales/**/*.csv", "kind": "tabular",
                                                  "format": fmt})
        self.assertEqual(s["inputs"]["dataset"], {"paths": [{"datastore": "default", "path": "sales/2026/a.csv"},
                                                            {"datastore": "default", "path": "sales/2026/b.csv"}],
                                                  "kind": "file", "mode": "download", "path_on_compute": "data"})

    def test_an_unbound_dataset_is_an_error(self):
        from azureml.core import Dataset, Workspace
        from azureml.exceptions import UserErrorException
        from azureml.pipeline.core import Pipeline
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        tab = Dataset.File.from_files(path=(ws.get_default_datastore(), ""), validate=False)
        step = PythonScriptStep("prep.py", name="Prep It", source_directory=self.src, arguments=["--x", tab])
        with self.assertRaisesRegex(UserErrorException, r"step 'Prep It' argument 1: a dataset must be bound"):
            self.submit(Pipeline(ws, [step]))
        self.assertEqual(self.calls("sdk/submit"), [])


class ComputeAndEnvironment(CompileCase):
    def test_unknown_compute_warns_once_and_runs_local(self):
        from azureml.core import Workspace
        from azureml.core.compute import ComputeTarget
        from azureml.pipeline.core import Pipeline
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        known = ComputeTarget(ws, "cpu-cluster")
        steps = [PythonScriptStep("prep.py", name="a", source_directory=self.src, compute_target="gpu-cluster"),
                 PythonScriptStep("prep.py", name="b", source_directory=self.src, compute_target=("gpu-cluster", "AmlCompute")),
                 PythonScriptStep("prep.py", name="c", source_directory=self.src, compute_target=known)]
        self.submit(Pipeline(ws, steps))
        spec = self.submitted_spec()["steps"]
        self.assertEqual([spec[k]["compute"] for k in "abc"], ["local", "local", "cpu-cluster"])
        self.assertEqual(spec["a"]["x-azureml"]["compute"], "gpu-cluster")
        self.assertEqual(self.stderr.count("millrace: compute target 'gpu-cluster' is not defined in millrace.yml; "
                                           "using 'local'"), 1)

    def test_interpreter_env_vars_and_docker(self):
        from azureml.core import Environment, Workspace
        from azureml.core.conda_dependencies import CondaDependencies
        from azureml.core.runconfig import RunConfiguration
        from azureml.pipeline.core import Pipeline
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        named = RunConfiguration()
        named.environment = Environment("py311")
        named.environment.environment_variables = {"A": "1"}
        named.environment.python.conda_dependencies = CondaDependencies.create(pip_packages=["scikit-learn"])
        managed = RunConfiguration()
        managed.environment.python.user_managed_dependencies = True
        managed.environment.python.interpreter_path = "/opt/venv/bin/python"
        managed.environment.docker.enabled = True
        other = RunConfiguration()
        other.environment = Environment("sklearn-env")
        steps = [PythonScriptStep("prep.py", name="named", source_directory=self.src, runconfig=named),
                 PythonScriptStep("prep.py", name="managed", source_directory=self.src, runconfig=managed),
                 PythonScriptStep("prep.py", name="other", source_directory=self.src, runconfig=other)]
        self.submit(Pipeline(ws, steps))
        spec = self.submitted_spec()["steps"]
        self.assertEqual((spec["named"].get("environment"), spec["named"]["env"]), ("py311", {"A": "1"}))
        self.assertIn("scikit-learn", spec["named"]["x-azureml"]["environment"]["python"]["conda_dependencies"]["pip_packages"])
        self.assertEqual(spec["managed"]["python"], "/opt/venv/bin/python")
        self.assertNotIn("environment", spec["other"])
        self.assertNotIn("python", spec["other"])
        self.assertIn("millrace: Docker is not used; steps run with /opt/venv/bin/python", self.stderr)

    def test_command_steps(self):
        from azureml.core import Workspace
        from azureml.pipeline.core import Pipeline, PipelineData
        from azureml.pipeline.steps import CommandStep
        ws = Workspace.from_config()
        out = PipelineData("out")
        a = CommandStep(command="python report.py > summary.txt", name="shell", source_directory=self.src)
        b = CommandStep(command=["python3", "report.py", "--out", out], name="argv", outputs=[out],
                        source_directory=self.src)
        self.submit(Pipeline(ws, [a, b]))
        spec = self.submitted_spec()["steps"]
        self.assertEqual(spec["shell"]["command"], ["sh", "-c", "python report.py > summary.txt"])
        self.assertEqual(spec["argv"]["command"], ["python3", "report.py", "--out", "${{outputs.out}}"])
        self.assertEqual(spec["argv"]["type"], "command")


class Problems(CompileCase):
    def test_validate_lists_problems_naming_display_names(self):
        from azureml.core import Workspace
        from azureml.pipeline.core import Pipeline
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        a = PythonScriptStep("missing.py", name="Load Data", source_directory=self.src)
        b = PythonScriptStep("prep.py", name="Clean Data", source_directory=self.src)
        a.run_after(b)
        b.run_after(a)
        problems = Pipeline(ws, [a, b]).validate()
        self.assertEqual(problems[0], "dependency cycle: 'Load Data' -> 'Clean Data'")
        self.assertTrue(any("step 'Load Data': script 'missing.py' is not in its source_directory" in p
                            for p in problems), problems)

    def test_validate_returns_the_bridges_problems_for_a_compiled_spec(self):
        from azureml.core import Workspace
        from azureml.pipeline.core import Pipeline
        from azureml.pipeline.steps import PythonScriptStep
        self.state["validateErrors"] = ["step 'Load Data' (Load_Data): unknown environment 'gpu'"]
        self.write_state()
        ws = Workspace.from_config()
        self.assertEqual(Pipeline(ws, [PythonScriptStep("prep.py", name="Load Data", source_directory=self.src)])
                         .validate(), ["step 'Load Data' (Load_Data): unknown environment 'gpu'"])
        self.assertEqual(len(self.calls("sdk/validate")), 1)

    def test_bad_arguments_and_parameters(self):
        from azureml.core import Workspace
        from azureml.exceptions import UserErrorException
        from azureml.pipeline.core import Pipeline, PipelineParameter
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        bad = PythonScriptStep("prep.py", name="Bad Arg", source_directory=self.src,
                               arguments=["--ds", ws.get_default_datastore()])
        with self.assertRaisesRegex(UserErrorException, r"step 'Bad Arg' argument 1: Datastore"):
            self.submit(Pipeline(ws, [bad]))
        twice = PythonScriptStep("prep.py", name="p", source_directory=self.src,
                                 arguments=[PipelineParameter("n", 1), PipelineParameter("n", 2)])
        with self.assertRaisesRegex(UserErrorException, "PipelineParameter 'n' has two defaults: 1 and 2"):
            self.submit(Pipeline(ws, [twice]))
        with self.assertRaisesRegex(UserErrorException, "may not span several lines"):
            PipelineParameter("text", "a\nb")

    def test_a_step_without_source_directory_uses_the_current_folder_with_a_warning(self):
        import os
        from azureml.core import Workspace
        from azureml.pipeline.core import Pipeline
        from azureml.pipeline.steps import PythonScriptStep
        with open(os.path.join(self.project, "solo.py"), "w") as fh:
            fh.write("print(1)\n")
        ws = Workspace.from_config()
        self.submit(Pipeline(ws, [PythonScriptStep("solo.py")]))
        self.assertEqual(self.submitted_spec()["steps"]["solo_py"]["source_directory"], self.project)
        self.assertIn("millrace: step 'solo.py' has no source_directory; its code is the current folder", self.stderr)

    def test_unsupported_runconfig_settings_raise_ns(self):
        from azureml.core import Workspace
        from azureml.core.runconfig import RunConfiguration
        from azureml.exceptions import MillraceNotSupportedError
        from azureml.pipeline.core import Pipeline
        from azureml.pipeline.steps import PythonScriptStep
        ws = Workspace.from_config()
        rc = RunConfiguration()
        rc.node_count = 4
        with self.assertRaisesRegex(MillraceNotSupportedError, r"RunConfiguration.node_count=4 is not supported"):
            self.submit(Pipeline(ws, [PythonScriptStep("prep.py", source_directory=self.src, runconfig=rc)]))
        with self.assertRaises(MillraceNotSupportedError):
            PythonScriptStep("prep.py", source_directory=self.src, runconfig_pipeline_params={"x": 1})


if __name__ == "__main__":
    unittest.main()
