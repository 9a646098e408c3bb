#!/usr/bin/env bash
# Creates (or replaces) the two Secrets the manifests read, with fresh random passwords:
#   edgedi-broker-users    key users.txt                   the broker's users file (PBKDF2 hashes)
#   edgedi-mqtt-passwords  keys planner, worker, camera    the in-cluster clients' passwords
# MQTT users: planner (role planner; its ids planner-0, planner-1 and their -frames are planner-*),
# worker (role worker, shared by every Pi: the client id is the node name), camera (role camera,
# also for cameras outside), mes (role mes, read-only, for the MES). The clear passwords are left
# in DIR (default ./edgedi-secrets, mode 0700) for the camera PCs and the MES; nothing is written
# into the repository.
# The shared worker account gets clients=* (any client id): it is NOT bound to one Pi, any holder
# of its password may act as any worker. Why, and what binding per Pi takes: docs/deploy-k3s.md,
# "Worker identity".
#
#   k3s-manifests/make-secrets.sh [DIR]      needs ./edgedi (Java 17) and kubectl for the cluster
# Restart the broker afterwards (it reads users.txt once): kubectl -n edgedi rollout restart sts/edgedi-broker
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-edgedi-secrets}"
ns=edgedi
mkdir -p "$dir" && chmod 0700 "$dir"
rm -f "$dir/users.txt"
for entry in planner:planner worker:worker camera:camera mes:mes; do
  user="${entry%%:*}" role="${entry#*:}"
  clients=""
  [ "$role" = worker ] && clients='*'   # one account, every node name as client id (see above)
  head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$dir/$user.password"
  "$root/edgedi" users --file "$dir/users.txt" --name "$user" --role "$role" ${clients:+--clients "$clients"} \
    <"$dir/$user.password"
done
chmod 0600 "$dir"/*
kubectl get namespace "$ns" >/dev/null 2>&1 || kubectl create namespace "$ns"
kubectl -n "$ns" create secret generic edgedi-broker-users \
  --from-file=users.txt="$dir/users.txt" --dry-run=client -o yaml | kubectl apply -f -
kubectl -n "$ns" create secret generic edgedi-mqtt-passwords \
  --from-file=planner="$dir/planner.password" \
  --from-file=worker="$dir/worker.password" \
  --from-file=camera="$dir/camera.password" --dry-run=client -o yaml | kubectl apply -f -
echo "secrets written; passwords for outside clients (camera, mes) are in $dir/"
