#!/usr/bin/env python3
"""Turns a rendered Kustomize overlay into YAML that `podman kube play` (podman 4.3) can run on one
machine, changing only what podman cannot run as written; each change is printed ("kube-play: ...")
so that the CI log says what was not tested as is.

  kube-play.py RENDERED.yaml OUT.yaml --images REG/PATH --tag T --node NAME --secrets DIR

podman 4.3 plays Pods, Deployments, PersistentVolumeClaims and ConfigMaps. The rest:
- StatefulSet: one Pod per replica, named <name>-<ordinal> as Kubernetes names them, and one
  PersistentVolumeClaim per volumeClaimTemplate and replica (<template>-<name>-<ordinal>).
- DaemonSet: one Pod for the single node (NAME, taken to carry the nodeSelector's labels);
  fieldRef spec.nodeName (which podman does not fill) becomes NAME.
- Service: no podman object. A Service that selects exactly one pod gets that pod's name instead, so
  that the pod answers on the podman network's DNS under the Service's name; other Services (the
  headless one, the planners', the LoadBalancer) are left out.
- Namespace, NetworkPolicy: left out (podman has neither; all pods share one network).
- Secret volumes: podman 4.3.1 crashes on them (nil pointer in VolumeFromSecret), so they become
  hostPath folders under DIR holding the same items with the same mode, owned by the pod's user.
  The Secrets themselves come from DIR: <key>.password or the key's own name (users.txt), as
  k3s-manifests/make-secrets.sh would have created them.
- The official HiveMQ image cannot be pulled offline: unless it is in podman's store, the broker
  container becomes the embedded broker of edgedi-broker, as docs/deploy-k3s.md describes, and the
  init container that hands HiveMQ its extension goes (podman 4.3 also mishandles init containers:
  removing a finished one races with its exit, or, kept, it is restarted again and again).
- containerPorts: podman 4.3 publishes each on the host, where Kubernetes only documents them; all
  pods listen on 8080, so they are dropped and the probes that named them get the numbers.
- Images registry.example.com/edgedi/X (the overlay's placeholder) are taken from REG/PATH/X:T.
"""
import argparse
import copy
import os
import subprocess
import sys

import yaml


def say(msg):
    print("kube-play: " + msg, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rendered")
    ap.add_argument("out")
    ap.add_argument("--images", required=True)
    ap.add_argument("--tag", required=True)
    ap.add_argument("--node", required=True)
    ap.add_argument("--secrets", required=True)
    a = ap.parse_args()

    docs = [d for d in yaml.safe_load_all(open(a.rendered)) if d]
    out = []
    services = [d for d in docs if d["kind"] == "Service"]
    pods = []  # (name, labels, pod spec, owner kind)

    for d in docs:
        kind, name = d["kind"], d["metadata"]["name"]
        if kind in ("Namespace", "NetworkPolicy"):
            say(f"{kind}/{name}: left out (no such object in podman)")
        elif kind == "Service":
            pass  # below, once the pods are known
        elif kind in ("ConfigMap", "PersistentVolumeClaim"):
            out.append(d)
        elif kind == "Deployment":
            out.append(d)
        elif kind == "StatefulSet":
            spec = d["spec"]
            replicas = spec.get("replicas", 1)
            for i in range(replicas):
                pod_name = f"{name}-{i}"
                pspec = copy.deepcopy(spec["template"]["spec"])
                for t in spec.get("volumeClaimTemplates", []):
                    claim = f"{t['metadata']['name']}-{pod_name}"
                    out.append({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                                "metadata": {"name": claim}, "spec": t["spec"]})
                    pspec.setdefault("volumes", []).append(
                        {"name": t["metadata"]["name"], "persistentVolumeClaim": {"claimName": claim}})
                pods.append([pod_name, spec["template"]["metadata"].get("labels", {}), pspec, kind])
            say(f"StatefulSet/{name}: {replicas} Pod(s) {name}-0..{replicas - 1} with "
                f"{len(spec.get('volumeClaimTemplates', []))} claim(s) each")
        elif kind == "DaemonSet":
            spec = d["spec"]
            pspec = copy.deepcopy(spec["template"]["spec"])
            selector = pspec.pop("nodeSelector", None)
            for c in pspec.get("containers", []) + pspec.get("initContainers", []):
                for e in c.get("env", []):
                    if e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "spec.nodeName":
                        del e["valueFrom"]
                        e["value"] = a.node
            pods.append([f"{name}-{a.node}", spec["template"]["metadata"].get("labels", {}), pspec, kind])
            say(f"DaemonSet/{name}: one Pod for node {a.node} (taken to match nodeSelector {selector}), "
                f"spec.nodeName given as {a.node}")
        else:
            sys.exit(f"kube-play: {kind}/{name}: no rule for this kind")

    for s in services:
        name, sel = s["metadata"]["name"], s["spec"].get("selector", {})
        matching = [p for p in pods if sel and all(p[1].get(k) == v for k, v in sel.items())]
        stype = s["spec"].get("type", "ClusterIP")
        if stype == "ClusterIP" and s["spec"].get("clusterIP") != "None" and len(matching) == 1:
            say(f"Service/{name}: its one pod {matching[0][0]} is named {name} instead (DNS)")
            matching[0][0] = name
        else:
            say(f"Service/{name} ({stype}{', headless' if s['spec'].get('clusterIP') == 'None' else ''}, "
                f"selects {len(matching)} pod(s)): left out")

    hivemq_local = subprocess.run(["podman", "image", "exists", "docker.io/hivemq/hivemq-ce:2025.5"]).returncode == 0
    for pod_name, labels, pspec, owner in pods:
        out.append({"apiVersion": "v1", "kind": "Pod",
                    "metadata": {"name": pod_name, "labels": labels}, "spec": pspec})

    for d in out:
        pspec = d["spec"] if d["kind"] == "Pod" else d["spec"]["template"]["spec"] if d["kind"] == "Deployment" else None
        if pspec is None:
            continue
        pname = d["metadata"]["name"]
        ctx = pspec.get("securityContext", {})
        uid, gid = ctx.get("runAsUser", 0), ctx.get("runAsGroup", 0)
        for v in pspec.get("volumes", []):
            sec = v.get("secret")
            if not sec:
                continue
            folder = os.path.join(a.secrets, "volumes", f"{pname}-{v['name']}")
            os.makedirs(folder, exist_ok=True)
            for item in sec.get("items", []):
                src = os.path.join(a.secrets, item["key"] + ("" if "." in item["key"] else ".password"))
                dst = os.path.join(folder, item["path"])
                with open(src, "rb") as f, open(dst, "wb") as g:
                    g.write(f.read())
                os.chown(dst, uid, gid)
                os.chmod(dst, item.get("mode", sec.get("defaultMode", 0o644)))
            del v["secret"]
            v["hostPath"] = {"path": folder, "type": "Directory"}
            say(f"{d['kind']}/{pname}: Secret volume {v['name']} ({sec['secretName']}) as a hostPath folder")
        for c in pspec.get("containers", []) + pspec.get("initContainers", []):
            ports = {p.get("name"): p["containerPort"] for p in c.pop("ports", [])}
            if ports:
                for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                    for action in ("httpGet", "tcpSocket"):
                        target = c.get(probe, {}).get(action)
                        if target and target.get("port") in ports:
                            target["port"] = ports[target["port"]]
                say(f"{d['kind']}/{pname}: container {c['name']}: containerPorts {sorted(ports.values())} not "
                    f"published on the host (podman 4.3 would), probes given them by number")
            image = c["image"]
            if image.startswith("registry.example.com/edgedi/"):
                c["image"] = f"{a.images}/{image.split('/')[-1].split(':')[0]}:{a.tag}"
            elif image.startswith("hivemq/hivemq-ce") and not hivemq_local:
                c["image"] = f"{a.images}/edgedi-broker:{a.tag}"
                c["args"] = ["broker", "--bind", "0.0.0.0", "--port", "1883"]
                c["env"] = [e for e in c.get("env", []) if e["name"] == "EDGEDI_USERS_FILE"]
                c["securityContext"]["readOnlyRootFilesystem"] = True
                c["volumeMounts"] = [m for m in c.get("volumeMounts", []) if m["name"] == "users"]
                c["volumeMounts"].append({"name": "broker-tmp", "mountPath": "/tmp"})
                pspec.setdefault("volumes", []).append({"name": "broker-tmp", "emptyDir": {"sizeLimit": "64Mi"}})
                say(f"{d['kind']}/{pname}: container {c['name']} ({image}, not obtainable offline) runs "
                    f"edgedi-broker's embedded broker instead (docs/deploy-k3s.md)")
                for init in pspec.pop("initContainers", []):
                    say(f"{d['kind']}/{pname}: init container {init['name']} (HiveMQ's extension) left out")

    with open(a.out, "w") as f:
        yaml.safe_dump_all(out, f, sort_keys=False)


if __name__ == "__main__":
    main()
