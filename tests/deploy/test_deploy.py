"""deploy/: the Kubernetes manifests parse and agree with the host (configuration keys exist, ports and health paths
match, labels, selectors and references line up), the Dockerfile matches the host, and local-cluster.sh forms a
3-host cluster on one Azurite that serves a score from each host."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy/k8s"
_spec = importlib.util.spec_from_file_location("pgenrm_host_fixture", ROOT / "clients/python/tests/conftest.py")
_host_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_host_module)


def docs(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def base() -> dict[str, dict]:
    """The base's resources by kind (one of each)."""
    kustomization = docs(K8S / "base/kustomization.yaml")[0]
    by_kind: dict[str, dict] = {}
    for name in kustomization["resources"]:
        for d in docs(K8S / "base" / name):
            assert d["kind"] not in by_kind or d["kind"] in ("Role", "RoleBinding"), d["kind"]
            by_kind[d["kind"]] = d
    return by_kind


def container() -> dict:
    return base()["Deployment"]["spec"]["template"]["spec"]["containers"][0]


def env() -> dict[str, dict]:
    return {e["name"]: e for e in container()["env"]}


def service_options() -> set[str]:
    text = (ROOT / "src/PGenRM.Host/Hosting/ServiceOptions.cs").read_text()
    return set(re.findall(r"public \S+ (\w+) \{ get; set; \}", text))


def test_every_manifest_parses_and_every_kustomization_names_existing_files():
    for k in K8S.rglob("kustomization.yaml"):
        kustomization = docs(k)[0]
        for resource in kustomization["resources"]:
            assert (k.parent / resource).exists(), f"{k}: {resource}"
    assert {d["kind"] for d in base().values()} >= {"ServiceAccount", "Role", "RoleBinding", "Deployment", "Service",
                                                     "PodDisruptionBudget", "HorizontalPodAutoscaler"}


def test_overlay_patches_replace_paths_that_exist_in_the_base():
    resources = base()
    for overlay in (K8S / "overlays").iterdir():
        kustomization = docs(overlay / "kustomization.yaml")[0]
        assert "../../base" in kustomization["resources"]
        for patch in kustomization.get("patches", []):
            target = resources[patch["target"]["kind"]]
            assert target["metadata"]["name"] == patch["target"]["name"]
            for op in yaml.safe_load(patch["patch"]):
                node = target
                for part in op["path"].strip("/").split("/"):
                    node = node[int(part)] if isinstance(node, list) else node[part]
                assert op["op"] == "replace"


def test_configuration_keys_exist_in_the_host():
    options = service_options()
    keys = [name.split("__", 1)[1] for name in env() if name.startswith("PGenRM__")]
    assert keys, "the deployment configures the host through PGenRM__ variables"
    for key in keys:
        assert key in options, f"PGenRM:{key} is not a ServiceOptions property"
    appsettings = json.loads((ROOT / "src/PGenRM.Host/appsettings.json").read_text())["PGenRM"]
    assert appsettings["KubernetesHosting"] is False and env()["PGenRM__KubernetesHosting"]["value"] == "true"
    assert env()["PGenRM__Clustering"]["value"] == "AzureTable"  # Kubernetes hosting needs the membership table


def test_ports_match_the_host_configuration():
    ports = {p["name"]: p["containerPort"] for p in container()["ports"]}
    e = env()
    assert e["ASPNETCORE_URLS"]["value"] == f"http://0.0.0.0:{ports['http']}"
    assert int(e["PGenRM__SiloPort"]["value"]) == ports["silo"]
    assert int(e["PGenRM__GatewayPort"]["value"]) == ports["gateway"]
    assert base()["Service"]["spec"]["ports"][0]["targetPort"] == "http"
    dockerfile = (ROOT / "deploy/Dockerfile").read_text()
    assert re.search(r"^EXPOSE (.+)$", dockerfile, re.M).group(1).split() == [str(ports[n]) for n in ("http", "silo", "gateway")]
    assert f"ASPNETCORE_URLS=http://0.0.0.0:{ports['http']}" in dockerfile


def test_storage_and_admin_key_come_from_secrets():
    e = env()
    assert e["PGenRM__StorageConnectionString"]["valueFrom"]["secretKeyRef"] == {"name": "pgenrm-storage", "key": "connection-string"}
    assert e["PGenRM__AdminKey"]["valueFrom"]["secretKeyRef"] == {"name": "pgenrm-admin", "key": "admin-key"}


def test_orleans_kubernetes_hosting_labels_env_and_rbac():
    d = base()
    pod = d["Deployment"]["spec"]["template"]
    labels = pod["metadata"]["labels"]
    # The label names Microsoft.Orleans.Hosting.Kubernetes reads (KubernetesHostingOptions.ServiceIdLabel / ClusterIdLabel).
    assert labels["orleans/serviceId"] == "pgenrm" and labels["orleans/clusterId"] == "pgenrm"
    e = env()
    assert e["ORLEANS_SERVICE_ID"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.labels['orleans/serviceId']"
    assert e["ORLEANS_CLUSTER_ID"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.labels['orleans/clusterId']"
    for name, path in (("POD_NAME", "metadata.name"), ("POD_NAMESPACE", "metadata.namespace"), ("POD_IP", "status.podIP")):
        assert e[name]["valueFrom"]["fieldRef"]["fieldPath"] == path
    assert pod["spec"]["serviceAccountName"] == d["ServiceAccount"]["metadata"]["name"]
    role = docs(K8S / "base/rbac.yaml")
    rules = role[0]["rules"][0]
    assert rules["resources"] == ["pods"] and {"get", "watch", "list", "delete"} <= set(rules["verbs"])
    assert role[1]["subjects"][0]["name"] == d["ServiceAccount"]["metadata"]["name"]
    assert role[1]["roleRef"]["name"] == role[0]["metadata"]["name"]


def test_selectors_pdb_hpa_and_graceful_termination():
    d = base()
    pod_labels = d["Deployment"]["spec"]["template"]["metadata"]["labels"]
    for selector in (d["Deployment"]["spec"]["selector"]["matchLabels"], d["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"],
                     d["Service"]["spec"]["selector"]):
        assert selector.items() <= pod_labels.items()
    hpa = d["HorizontalPodAutoscaler"]["spec"]
    assert hpa["scaleTargetRef"]["name"] == d["Deployment"]["metadata"]["name"]
    assert hpa["metrics"][0]["resource"]["name"] == "cpu"
    assert "requests" in container()["resources"] and container()["resources"]["requests"]["cpu"]
    shutdown = int(re.search(r"--shutdownTimeoutSeconds=(\d+)", " ".join(container()["args"])).group(1))
    pre_stop = int(container()["lifecycle"]["preStop"]["exec"]["command"][-1])
    assert d["Deployment"]["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] > shutdown + pre_stop
    sec = d["Deployment"]["spec"]["template"]["spec"]["securityContext"]
    assert sec["runAsNonRoot"] is True and sec["runAsUser"] != 0
    assert re.search(r"^USER (\d+)$", (ROOT / "deploy/Dockerfile").read_text(), re.M).group(1) == str(sec["runAsUser"])


def test_dockerfile_runs_the_host_and_selects_the_onnx_runtime_by_argument():
    dockerfile = (ROOT / "deploy/Dockerfile").read_text()
    assembly = re.search(r"<AssemblyName>(.+)</AssemblyName>", (ROOT / "src/PGenRM.Host/PGenRM.Host.csproj").read_text()).group(1)
    assert f'ENTRYPOINT ["dotnet", "{assembly}.dll"]' in dockerfile
    assert "-p:OnnxGpu=$onnx_gpu" in dockerfile
    assert "OnnxGpu" in (ROOT / "src/PGenRM.Encoding.Onnx/PGenRM.Encoding.Onnx.csproj").read_text()


@pytest.fixture(scope="module")
def host():
    h = _host_module.Host()
    yield h
    assert h.stop() == 0


def test_probe_paths_answer_on_the_host(host):
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        path = container()[probe]["httpGet"]["path"]
        with urllib.request.urlopen(host.url + path, timeout=10) as r:
            assert r.status == 200, f"{probe} {path}"
    assert container()["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert container()["livenessProbe"]["httpGet"]["path"] == "/health/live"


def _post(url: str, key: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"X-Api-Key": key, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as r:
        return json.loads(r.read())


def test_local_cluster_of_three_hosts_serves_a_score_from_each():
    script = ROOT / "deploy/scripts/local-cluster.sh"
    work = tempfile.mkdtemp(prefix="pgenrm-local-cluster-")
    try:
        started = subprocess.run([str(script), "start", "-n", "3", "--dir", work, "--timeout", "240"],
                                 capture_output=True, text=True, timeout=300)
        assert started.returncode == 0, started.stdout + started.stderr
        values = dict(re.findall(r"^(\w+)=(.*)$", Path(work, "cluster.env").read_text(), re.M))
        urls = subprocess.run(["bash", "-c", f"source {work}/cluster.env && echo $HOST_URLS && echo $DEMO_KEY && echo $HOST_PIDS"],
                              capture_output=True, text=True, check=True).stdout.split("\n")
        hosts, key, pids = urls[0].split(), urls[1], urls[2].split()
        assert len(hosts) == 3 and len(set(hosts)) == 3 and key.startswith("demo.") and "STORAGE" in values
        # One user's feedback through each host: one grain in one cluster, so the count goes 1, 2, 3.
        for i, url in enumerate(hosts):
            receipt = _post(f"{url}/v1/tenants/demo/users/alice/feedback", key,
                            {"id": f"f{i}", "query": "How do I reverse a list?", "chosen": "Use xs[::-1].", "rejected": "It depends."})
            assert receipt["feedbackCount"] == i + 1
            score = _post(f"{url}/v1/tenants/demo/users/alice/score", key,
                          {"query": "How do I sort a list?", "candidates": ["Use sorted(xs).", "Sorting is a long story."]})
            assert len(score["rewards"]) == 2 and score["coldStart"] is False
        stopped = subprocess.run([str(script), "stop", "--dir", work], capture_output=True, text=True, timeout=120)
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        for pid in pids:
            assert not Path(f"/proc/{pid}").exists(), f"host {pid} still runs after stop"
    finally:
        if Path(work, "cluster.env").exists():
            subprocess.run([str(script), "stop", "--dir", work], capture_output=True, timeout=120)
        shutil.rmtree(work, ignore_errors=True)
