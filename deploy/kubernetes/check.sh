#!/usr/bin/env bash
# Validates the deployment files offline: the Kubernetes manifests (kubeconform -strict against the
# JSON schemas vendored in schemas/, each file and the kustomize builds), the Compose files (as
# `docker compose config` loads them), nginx.conf (nginx -t, when nginx is installed), and that the
# three agree with each other and with the server's settings.
#
#   bash deploy/kubernetes/check.sh
#
# Needs Go (kubeconform v0.8.0 needs Go >= 1.26; KUBECONFORM_VERSION=v0.7.0 builds with 1.24) and,
# the first time only, the Go module proxy: kubeconform and deploy/tools are built into the data
# folder's bin (.data/bin, or $PLAYGROUND_DATA_DIR/bin), with their own module and build caches
# under .data/deploy-check. Later runs reuse them and need no network (about 2 s).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${PLAYGROUND_DATA_DIR:-$root/.data}"
mkdir -p "$data"
data="$(cd "$data" && pwd)"
bin="$data/bin"
cache="$data/deploy-check"

KUBECONFORM_VERSION="${KUBECONFORM_VERSION:-v0.8.0}"
# The Kubernetes version whose schemas are vendored (schemas/v<version>-standalone-strict).
K8S_VERSION="1.35.4"

say() { printf '[deploy-check] %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

command -v go >/dev/null || fail "Go is needed to install kubeconform (https://go.dev/dl/)"
mkdir -p "$bin" "$cache"
# The tools get module and build caches of their own: the playground's (.data/gomodcache,
# .data/gocache) are mounted into build sandboxes, and ~/go stays untouched.
go_env=(env GOMODCACHE="$cache/gomodcache" GOCACHE="$cache/gocache" GOFLAGS="-buildvcs=false" GOWORK=off CGO_ENABLED=0)

# kubeconform, installed as the setup installs go-httpbin: `go install` into bin.
kubeconform="$bin/kubeconform"
if ! go version -m "$kubeconform" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/yannh/kubeconform[[:space:]]+$KUBECONFORM_VERSION([[:space:]]|$)"; then
  say "installing kubeconform $KUBECONFORM_VERSION into $bin"
  "${go_env[@]}" GOBIN="$bin" go install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" \
    || fail "go install kubeconform $KUBECONFORM_VERSION (it needs Go >= 1.26 from v0.8.0 on; try KUBECONFORM_VERSION=v0.7.0)"
fi

# deploytools (deploy/tools): compose-go and kustomize's krusty, rebuilt when its sources change.
deploytools="$bin/deploytools"
stamp="$cache/deploytools.stamp"
key="$(cd "$root/deploy/tools" && cat go.mod go.sum ./*.go | sha256sum | cut -d' ' -f1) $(go env GOVERSION)"
if [[ ! -x "$deploytools" || "$(cat "$stamp" 2>/dev/null)" != "$key" ]]; then
  say "building deploy/tools into $bin"
  (cd "$root/deploy/tools" && "${go_env[@]}" GOFLAGS="-mod=readonly -buildvcs=false" go build -trimpath -o "$deploytools" .) \
    || fail "building deploy/tools"
  printf '%s' "$key" >"$stamp"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
schemas="$here/schemas"
[[ -d "$schemas/v$K8S_VERSION-standalone-strict" ]] || fail "no schemas for Kubernetes $K8S_VERSION in $schemas (node deploy/kubernetes/openapi2jsonschema.mjs $K8S_VERSION)"
kc=("$kubeconform" -strict -summary -kubernetes-version "$K8S_VERSION" -schema-location "$schemas")

# Runs kubeconform and insists that it validated at least one resource and skipped none (a stream
# with no resources, or a kind without a vendored schema, must not pass quietly).
validate() {
  local label="$1"
  shift
  local out
  out="$("${kc[@]}" "$@" 2>&1)" || { printf '%s\n' "$out" >&2; fail "kubeconform: $label"; }
  local summary
  summary="$(printf '%s\n' "$out" | grep '^Summary:')"
  [[ "$summary" =~ Valid:\ ([0-9]+),\ Invalid:\ 0,\ Errors:\ 0,\ Skipped:\ 0$ ]] && ((BASH_REMATCH[1] > 0)) \
    || { printf '%s\n' "$out" >&2; fail "kubeconform: $label: $summary"; }
  say "kubeconform $label: $summary"
}

# Runs a deploytools check from the repository root and prints what it says under a label.
tool() {
  local label="$1"
  shift
  local out
  out="$(cd "$root" && "$@" 2>&1)" || { printf '%s
' "$out" >&2; fail "$label"; }
  printf '%s\n' "$out" | while IFS= read -r line; do say "$label: $line"; done
}

# 1. Every manifest file as it is (kustomization.yaml files are kustomize's, not the API's).
mapfile -t manifests < <(cd "$here" && find . -name '*.yaml' ! -name 'kustomization.yaml' ! -path './schemas/*' | sort)
((${#manifests[@]} > 0)) || fail "no manifests under $here"
validate "files (${manifests[*]#./})" "${manifests[@]/#./$here}"

# 2. What `kubectl apply -k` applies: the kustomization as it is, and with the PostgreSQL component.
"$deploytools" kustomize "$here" >"$work/base.yaml" || fail "kustomize build deploy/kubernetes"
validate "kustomize build deploy/kubernetes" "$work/base.yaml"
mkdir "$work/with-postgres"
cp "$here"/*.yaml "$work/with-postgres/"
cp -r "$here/postgres" "$work/with-postgres/"
if ! grep -q '^components:' "$work/with-postgres/kustomization.yaml"; then
  printf 'components:\n  - postgres\n' >>"$work/with-postgres/kustomization.yaml"
fi
"$deploytools" kustomize "$work/with-postgres" >"$work/with-postgres.yaml" || fail "kustomize build with components: [postgres]"
validate "kustomize build with the postgres component" "$work/with-postgres.yaml"
grep -q '^kind: Secret' "$work/base.yaml" && fail "the kustomization applies a Secret; secret.example.yaml is a template only"

# 3. The schemas are strict: a manifest with an unknown field and a wrong type is refused.
cat >"$work/bad.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: bad}
spec:
  replicas: two
  selector: {matchLabels: {app: bad}}
  template:
    metadata: {labels: {app: bad}}
    spec:
      containers: [{name: bad, image: bad, securityContext: {procMounts: Unmasked}}]
EOF
if "${kc[@]}" "$work/bad.yaml" >/dev/null 2>&1; then fail "kubeconform accepted a manifest with an unknown field and a wrong type"; fi
say "kubeconform refuses an unknown field and a wrong type (strict schemas in use)"

# 4. The Compose files, as `docker compose -f FILE --profile '*' config` loads them, in a clean
#    environment (no variable of the caller's fills in their ${...}).
tool "compose config" env -i PATH="$PATH" HOME="${HOME:-/tmp}" "$deploytools" compose docker/compose.yaml docker/compose.replicas.yaml

# 5. Agreement: each replica advertises its own service name and nginx's upstream lists exactly
#    those; every variable given to the server is one it reads (apps/server/src/settings.ts).
tool "replicas" "$deploytools" replicas docker/compose.replicas.yaml docker/nginx.conf
tool "settings" env -i PATH="$PATH" HOME="${HOME:-/tmp}" "$deploytools" envcheck apps/server/src/settings.ts deploy/kubernetes docker/compose.yaml docker/compose.replicas.yaml

# 6. nginx.conf with nginx's own parser, when nginx is installed. The replicas' names resolve only
#    on the Compose network, so the copy tested points the upstream at 127.0.0.1.
nginx_bin="$(command -v nginx || true)"
[[ -z "$nginx_bin" && -x /usr/sbin/nginx ]] && nginx_bin=/usr/sbin/nginx
if [[ -n "$nginx_bin" ]]; then
  mkdir -p "$work/nginx/logs"
  sed -E 's/^([[:space:]]*server[[:space:]]+)playground-[0-9]+(:[0-9]+)/\1127.0.0.1\2/' "$root/docker/nginx.conf" >"$work/nginx/nginx.conf"
  out="$("$nginx_bin" -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf" -g "pid $work/nginx/nginx.pid;" 2>&1)" \
    || { printf '%s\n' "$out" >&2; fail "nginx -t docker/nginx.conf"; }
  say "nginx -t docker/nginx.conf: ok ($("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //'))"
else
  say "nginx -t docker/nginx.conf: skipped, no nginx installed (apt-get install nginx-light)"
fi

say "all checks passed"
