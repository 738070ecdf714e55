"""Workspace identity, datastores and aliases, datasets, models, authentication, compute targets, environments."""

import json
import os
import unittest

from support import WorkspaceCase


def has_pandas():
    try:
        import pandas  # noqa: F401
        return True
    except ImportError:
        return False


class WorkspaceIdentity(WorkspaceCase):
    def test_cloud_identity_values_and_details(self):
        from azureml.core import Workspace
        ws = Workspace.from_config()
        self.assertEqual((ws.name, ws.resource_group, ws.location, ws.subscription_id, ws.path),
                         ("ws", "local", "local", "00000000-0000-0000-0000-000000000000", self.ws_dir))
        self.assertEqual(ws.get_details()["millraceWorkspace"], self.ws_dir)
        self.assertEqual(set(ws.get_details()), {"id", "name", "location", "resourceGroup", "subscriptionId",
                                                 "millraceWorkspace"})
        self.assertEqual(self.calls(), [], "resolving a workspace starts no bridge")

    def test_write_config_then_from_config_elsewhere(self):
        from azureml.core import Workspace
        ws = Workspace.from_config()
        target = ws.write_config(path=self.project)
        self.assertEqual(target, os.path.join(self.project, ".azureml", "config.json"))
        with open(target) as fh:
            data = json.load(fh)
        self.assertEqual(data["millrace_workspace"], self.ws_dir)
        del os.environ["MILLRACE_WORKSPACE"]
        self.assertEqual(Workspace.from_config().path, self.ws_dir)

    def test_constructor_and_get_warn_on_another_name(self):
        import io
        from contextlib import redirect_stderr
        from azureml.core import Workspace
        err = io.StringIO()
        with redirect_stderr(err):
            a = Workspace("sub", "rg", "my-aml-workspace")
            b = Workspace.get(name="my-aml-workspace", subscription_id="sub", resource_group="rg")
        self.assertEqual(a, b)
        self.assertEqual(err.getvalue().count("millrace: workspace name 'my-aml-workspace' is not this workspace's"), 1)

    def test_create_and_delete_raise_ns_pointing_to_millrace_init(self):
        from azureml.core import Workspace
        from azureml.exceptions import MillraceNotSupportedError
        with self.assertRaisesRegex(MillraceNotSupportedError, "millrace init"):
            Workspace.create("x", subscription_id="s", resource_group="r")


class Datastores(WorkspaceCase):
    extra_datastores = {"blob_data": None}

    def test_aliases_and_default(self):
        from azureml.core import Datastore, Workspace
        from azureml.exceptions import UserErrorException
        ws = Workspace.from_config()
        blob = Datastore(ws, "workspaceblobstore")
        self.assertEqual((blob.name, blob.datastore_type, str(blob.path)),
                         ("workspaceblobstore", "AzureBlob", self.state["datastores"]["default"]))
        self.assertEqual(Datastore.get(ws, "workspacefilestore").datastore_type, "AzureFile")
        self.assertEqual(ws.get_default_datastore().name, "default")
        self.assertEqual(sorted(ws.datastores), ["blob_data", "default", "workspaceblobstore", "workspacefilestore"])
        with self.assertRaisesRegex(UserErrorException, "unknown datastore 'nope' \\(this workspace has: default, blob_data"):
            Datastore(ws, "nope")

    def test_upload_files_upload_and_download(self):
        from azureml.core import Workspace
        ws = Workspace.from_config()
        ds = ws.get_default_datastore()
        data = self.folder("data", {"a.csv": "1", "b.csv": "2"})
        self.folder("data/sub", {"c.csv": "3"})
        import io
        from contextlib import redirect_stdout
        out = io.StringIO()
        with redirect_stdout(out):
            ds.upload_files([os.path.join(data, "a.csv"), os.path.join(data, "sub", "c.csv")], target_path="raw")
            ds.upload_files([os.path.join(data, "a.csv")], target_path="raw")
            ref = ds.upload(src_dir=data, target_path="all", overwrite=True, show_progress=False)
            count = ds.download(target_path=os.path.join(self.project, "back"), prefix="raw")
        root = self.state["datastores"]["default"]
        self.assertTrue(os.path.isfile(os.path.join(root, "raw", "a.csv")))
        self.assertTrue(os.path.isfile(os.path.join(root, "raw", "sub", "c.csv")))
        self.assertTrue(os.path.isfile(os.path.join(root, "all", "sub", "c.csv")))
        self.assertIn("Skipping a.csv: it exists on datastore default (overwrite=False)", out.getvalue())
        self.assertEqual(count, 2)
        self.assertTrue(os.path.isfile(os.path.join(self.project, "back", "raw", "sub", "c.csv")))
        self.assertEqual((ref.path_on_datastore, ref.datastore_name), ("all", "default"))

    def test_register_blob_container_adds_a_local_folder(self):
        import io
        from contextlib import redirect_stderr
        from azureml.core import Datastore, Workspace
        ws = Workspace.from_config()
        err = io.StringIO()
        with redirect_stderr(err):
            ds = Datastore.register_azure_blob_container(ws, datastore_name="landing", container_name="c",
                                                         account_name="a", account_key="SECRET-KEY")
        self.assertEqual(ds.name, "landing")
        self.assertNotIn("SECRET-KEY", json.dumps(self.calls()))
        self.assertIn("credentials are ignored", err.getvalue())


class Datasets(WorkspaceCase):
    def setUp(self):
        super().setUp()
        root = self.state["datastores"]["default"]
        for rel, text in {"sales/2025/q1.csv": "region;amount\nnorth;1\n", "sales/2026/q1.csv": "region;amount\nsouth;2\n",
                          "sales/2026/.hidden.csv": "x\n", "sales/2026/notes.txt": "n\n"}.items():
            path = os.path.join(root, *rel.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as fh:
                fh.write(text)

    def test_globs_to_path_and_validate(self):
        from azureml.core import Dataset, Workspace
        from azureml.exceptions import UserErrorException
        ws = Workspace.from_config()
        ds = ws.get_default_datastore()
        tab = Dataset.Tabular.from_delimited_files(path=(ds, "sales/**/*.csv"), separator=";")
        self.assertEqual(tab.to_path(), ["/2025/q1.csv", "/2026/q1.csv"])
        self.assertEqual(Dataset.File.from_files(path=(ds, "sales/2026")).to_path(), ["/notes.txt", "/q1.csv"])
        self.assertEqual(Dataset.File.from_files("azureml://datastores/workspaceblobstore/paths/sales/2026/q1.csv")
                         .to_path(), ["/q1.csv"])
        with self.assertRaisesRegex(UserErrorException, "matched no file"):
            Dataset.Tabular.from_delimited_files(path=(ds, "nothing/*.csv"))
        self.assertEqual(Dataset.Tabular.from_delimited_files(path=(ds, "nothing/*.csv"), validate=False).to_path(), [])
        self.assertEqual(len(tab.id), 64)
        self.assertIsNone(tab.name)

    def test_register_versions_tags_and_names_with_spaces(self):
        from azureml.core import Dataset, Workspace
        from azureml.exceptions import UserErrorException
        ws = Workspace.from_config()
        ds = ws.get_default_datastore()
        a = Dataset.File.from_files(path=[(ds, "sales/2025/q1.csv"), (ds, "sales/2026/q1.csv")])
        reg = a.register(ws, "Quarterly Sales", description="two files", tags={"q": 1})
        self.assertEqual((reg.name, reg.version, reg.tags, reg.description), ("Quarterly Sales", 1, {"q": "1"}, "two files"))
        self.assertEqual(a.register(ws, "Quarterly Sales").version, 1)
        b = Dataset.File.from_files(path=(ds, "sales/2026/q1.csv"))
        with self.assertRaisesRegex(UserErrorException, "create_new_version"):
            b.register(ws, "Quarterly Sales")
        self.assertEqual(b.register(ws, "Quarterly Sales", create_new_version=True).version, 2)
        self.assertEqual(Dataset.get_by_name(ws, "Quarterly Sales", version=1).to_path(), ["/q1.csv"] * 2)
        self.assertEqual(Dataset.get_by_id(ws, reg.id).version, 1)
        self.assertEqual(list(ws.datasets), ["Quarterly Sales"])
        for bad in ("", " lead", "a/b", "x\ty", "n" * 251):
            with self.subTest(bad=bad), self.assertRaises(UserErrorException):
                a.register(ws, bad)

    @unittest.skipUnless(has_pandas(), "pandas is not installed for this python (CI uses Debian's python3-pandas)")
    def test_to_pandas_dataframe_concatenates_in_path_order(self):
        from azureml.core import Dataset, Workspace
        ws = Workspace.from_config()
        tab = Dataset.Tabular.from_delimited_files(path=(ws.get_default_datastore(), "sales/**/*.csv"), separator=";",
                                                   include_path=True)
        df = tab.to_pandas_dataframe()
        self.assertEqual(list(df.columns), ["Path", "region", "amount"])
        self.assertEqual(df["region"].tolist(), ["north", "south"])
        self.assertEqual(df["Path"].tolist(), ["/2025/q1.csv", "/2026/q1.csv"])

    @unittest.skipIf(has_pandas(), "pandas is installed")
    def test_without_pandas_the_error_says_how_to_install_it(self):
        from azureml.core import Dataset, Workspace
        ws = Workspace.from_config()
        tab = Dataset.Tabular.from_delimited_files(path=(ws.get_default_datastore(), "sales/**/*.csv"))
        with self.assertRaisesRegex(ImportError, "pip install pandas"):
            tab.to_pandas_dataframe()

    def test_remote_urls_and_engine_transformations_raise_ns(self):
        from azureml.core import Dataset, Workspace
        from azureml.exceptions import MillraceNotSupportedError
        ws = Workspace.from_config()
        with self.assertRaisesRegex(MillraceNotSupportedError, "no network"):
            Dataset.Tabular.from_delimited_files("https://example.com/data.csv")
        tab = Dataset.Tabular.from_delimited_files(path=(ws.get_default_datastore(), "sales/**/*.csv"))
        with self.assertRaises(MillraceNotSupportedError):
            tab.take(5)
        self.assertFalse(hasattr(tab, "to_spark_dataframe"))


class Models(WorkspaceCase):
    def test_register_list_get_and_download(self):
        from azureml.core import Model, Workspace
        from azureml.exceptions import UserErrorException, WebserviceException
        ws = Workspace.from_config()
        self.folder("outputs", {"model.pkl": "v1"})
        m1 = Model.register(ws, model_path="outputs/model.pkl", model_name="diabetes_model",
                            tags={"area": "diabetes", "auc": 0.8}, properties={"AUC": 0.81})
        m2 = Model.register(ws, model_path="outputs", model_name="diabetes_model", tags={"area": "other"})
        self.assertEqual((m1.version, m1.id, m1.tags, m1.properties), (1, "diabetes_model:1",
                                                                      {"area": "diabetes", "auc": "0.8"}, {"AUC": "0.81"}))
        self.assertEqual(m2.version, 2)
        self.assertEqual([m.version for m in Model.list(ws)], [2, 1])
        self.assertEqual([m.version for m in Model.list(ws, tags=[["area", "diabetes"]])], [1])
        self.assertEqual([m.version for m in Model.list(ws, tags=["area"], latest=True)], [2])
        self.assertEqual(Model(ws, "diabetes_model").version, 2)
        self.assertEqual(Model(ws, id="diabetes_model:1").version, 1)
        self.assertEqual(m1.created_time.tzinfo is not None, True)
        self.assertTrue(Model.get_model_path("diabetes_model", version=1, _workspace=ws).endswith("/1/model.pkl"))
        target = m1.download(target_dir=os.path.join(self.project, "dl"))
        with open(target) as fh:
            self.assertEqual(fh.read(), "v1")
        with self.assertRaises(WebserviceException):
            m1.download(target_dir=os.path.join(self.project, "dl"))
        with self.assertRaises(WebserviceException):
            Model(ws, "unknown")
        with self.assertRaises(UserErrorException):
            Model.register(ws, model_path="outputs/model.pkl", model_name="bad name")
        self.assertIsNone(self.calls("models/register")[0]["args"].get("runId"))


class Authentication(WorkspaceCase):
    def test_every_class_returns_the_workspace_token_and_never_prompts(self):
        from azureml.core.authentication import (AzureCliAuthentication, InteractiveLoginAuthentication,
                                                 MsiAuthentication, ServicePrincipalAuthentication)
        for auth in (InteractiveLoginAuthentication(), AzureCliAuthentication(), MsiAuthentication(),
                     ServicePrincipalAuthentication(tenant_id="t", service_principal_id="id",
                                                    service_principal_password="TOP-SECRET")):
            self.assertEqual(auth.get_authentication_header(), {"Authorization": "Bearer mr_fake-token"})
            self.assertNotIn("TOP-SECRET", repr(auth) + json.dumps(vars(auth), default=str))


class ComputeAndEnvironments(WorkspaceCase):
    def test_compute_targets(self):
        from azureml.core import ComputeTarget, Workspace
        from azureml.core.compute import AmlCompute
        from azureml.core.compute_target import ComputeTargetException
        ws = Workspace.from_config()
        with self.assertRaisesRegex(ComputeTargetException, "'cpu-cluster' is not defined in millrace.yml"):
            ComputeTarget(workspace=ws, name="cpu-cluster")
        config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=4)
        target = ComputeTarget.create(ws, "cpu-cluster", config)
        target.wait_for_completion(show_output=False)
        self.assertEqual((target.name, target.type, target.provisioning_state), ("cpu-cluster", "AmlCompute", "Succeeded"))
        self.assertEqual(self.calls("compute/ensure")[0]["args"], {"name": "cpu-cluster", "maxNodes": 4})
        self.assertIn("cpu-cluster", ws.compute_targets)

    def test_environments_are_recorded(self):
        from azureml.core import Environment, Workspace
        from azureml.core.conda_dependencies import CondaDependencies
        from azureml.exceptions import UserErrorException
        ws = Workspace.from_config()
        path = os.path.join(self.folder("env"), "env.yml")
        with open(path, "w") as fh:
            fh.write("name: sklearn\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.10\n  - pip\n  - pip:\n"
                     "    - scikit-learn==1.3  # pinned\n")
        env = Environment.from_conda_specification("sklearn-env", path)
        self.assertEqual(list(env.python.conda_dependencies.pip_packages), ["scikit-learn==1.3"])
        self.assertEqual(list(env.python.conda_dependencies.conda_packages), ["python=3.10", "pip"])
        first = env.register(ws)
        again = env.register(ws)
        env.python.conda_dependencies.add_pip_package("pandas")
        changed = env.register(ws)
        self.assertEqual((first.version, again.version, changed.version), ("1", "1", "2"))
        self.assertIn("py311", Environment.list(ws))
        with self.assertRaises(UserErrorException):
            Environment.from_pip_requirements("x", "no-such-file.txt")
        cd = CondaDependencies.create(pip_packages=["a==1"], conda_packages=["numpy"], python_version="3.9")
        self.assertEqual(cd.serialize_to_string(), "name: project_environment\ndependencies:\n  - python=3.9\n"
                         "  - numpy\n  - pip\n  - pip:\n    - azureml-defaults\n    - a==1\n")


if __name__ == "__main__":
    unittest.main()
