#!/usr/bin/env node
// Writes the JSON schemas check.sh gives kubeconform, offline: the Kubernetes OpenAPI v2 spec
// (api/openapi-spec/swagger.json) comes from the k8s.io/kubernetes module zip through the Go module
// proxy (`go mod download`), and each kind we use becomes one stand-alone strict schema, as
// openapi2jsonschema (`--expanded --kubernetes --stand-alone --strict`) makes them for
// github.com/yannh/kubernetes-json-schema, which kubeconform downloads by default:
//   schemas/v<version>-standalone-strict/<kind>[-<group>]-<version>.json
//
//   node deploy/kubernetes/openapi2jsonschema.mjs [k8s version, default below] [swagger.json]
//
// Without a swagger.json argument it runs `go mod download -json k8s.io/kubernetes@v<version>`
// (about 130 MB, into a temporary module cache that is removed afterwards). Standard library only.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = (process.argv[2] ?? '1.35.4').replace(/^v/, '');
/** The kinds the manifests use; add one here and rerun to vendor its schema. */
const KINDS = [
  'io.k8s.api.apps.v1.Deployment',
  'io.k8s.api.apps.v1.StatefulSet',
  'io.k8s.api.core.v1.ConfigMap',
  'io.k8s.api.core.v1.Secret',
  'io.k8s.api.core.v1.Service',
  'io.k8s.api.networking.v1.Ingress',
  'io.k8s.api.policy.v1.PodDisruptionBudget',
];

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'schemas', `v${VERSION}-standalone-strict`);

function loadSwagger() {
  if (process.argv[3]) return JSON.parse(readFileSync(process.argv[3], 'utf8'));
  const modCache = mkdtempSync(path.join(tmpdir(), 'k8s-openapi-'));
  try {
    const info = JSON.parse(
      execFileSync('go', ['mod', 'download', '-json', `k8s.io/kubernetes@v${VERSION}`], {
        env: { ...process.env, GOMODCACHE: modCache, GOFLAGS: '-mod=mod' },
        cwd: modCache,
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      }),
    );
    if (info.Error) throw new Error(info.Error);
    console.error(`k8s.io/kubernetes@v${VERSION} ${info.Sum}: api/openapi-spec/swagger.json`);
    return JSON.parse(readFileSync(path.join(info.Dir, 'api', 'openapi-spec', 'swagger.json'), 'utf8'));
  } finally {
    // The module cache is read-only on disk (Go's way); make it writable to remove it.
    execFileSync('chmod', ['-R', 'u+w', modCache]);
    rmSync(modCache, { recursive: true, force: true });
  }
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** openapi2jsonschema's additional_properties: objects with properties admit nothing else (strict). */
function additionalProperties(data) {
  if (Array.isArray(data)) data.forEach(additionalProperties);
  else if (isObj(data)) {
    if ('properties' in data && !('additionalProperties' in data)) data.additionalProperties = false;
    for (const v of Object.values(data)) additionalProperties(v);
  }
  return data;
}

/** replace_int_or_string: a value of format int-or-string is a string or an integer. */
function replaceIntOrString(data) {
  if (!isObj(data)) return data;
  const out = {};
  for (const [k, v] of Object.entries(data)) {
    if (isObj(v))
      out[k] =
        v.format === 'int-or-string'
          ? { oneOf: [{ type: 'string' }, { type: 'integer' }] }
          : replaceIntOrString(v);
    else if (Array.isArray(v)) out[k] = v.map(replaceIntOrString);
    else out[k] = v;
  }
  return out;
}

/**
 * allow_null_optional_fields as yannh/openapi2jsonschema has it: a field the object holding it does
 * not list as required may be null (YAML `key:` with no value), so the schemas accept exactly what
 * kubeconform's published ones accept.
 */
function allowNull(data, parent, grandParent, key) {
  if (!isObj(data)) return data;
  const out = {};
  for (const [k, v] of Object.entries(data)) {
    if (isObj(v)) out[k] = allowNull(v, data, parent, k);
    else if (Array.isArray(v)) out[k] = v.map((x) => allowNull(x, v, parent, k));
    else if (typeof v === 'string' && k === 'type' && v !== 'null') {
      const required =
        isObj(grandParent) && Array.isArray(grandParent.required) && grandParent.required.includes(key);
      out[k] = required ? v : [v, 'null'];
    } else out[k] = v;
  }
  return out;
}

/** Inlines every "#/definitions/..." reference (jsonref's replace_refs: siblings of $ref are dropped). */
function inline(node, defs, seen = []) {
  if (Array.isArray(node)) return node.map((x) => inline(x, defs, seen));
  if (!isObj(node)) return node;
  if (typeof node.$ref === 'string') {
    const name = node.$ref.replace(/^#\/definitions\//, '');
    if (!(name in defs)) throw new Error(`unknown reference ${node.$ref}`);
    if (seen.includes(name)) throw new Error(`recursive definition ${[...seen, name].join(' -> ')}`);
    return inline(defs[name], defs, [...seen, name]);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v, defs, seen)]));
}

const swagger = loadSwagger();
const defs = structuredClone(swagger.definitions);
// As openapi2jsonschema --kubernetes does: quantities may be numbers too (as kubectl accepts them).
defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = {
  oneOf: [{ type: 'string' }, { type: 'integer' }],
};
defs['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { oneOf: [{ type: 'string' }, { type: 'number' }] };
for (const def of Object.values(defs)) {
  for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
    const add = (prop, value) => {
      if (!def.properties?.[prop]) return;
      const e = (def.properties[prop].enum ??= []);
      if (!e.includes(value)) e.push(value);
    };
    add('apiVersion', gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version);
    add('kind', gvk.kind);
  }
}
additionalProperties(defs);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const title of KINDS) {
  if (!defs[title]) throw new Error(`${title} is not in the Kubernetes ${VERSION} spec`);
  const parts = title.split('.');
  const [group, version, kind] = parts.slice(-3).map((s) => s.toLowerCase());
  const file =
    group === 'core' || group === 'api' ? `${kind}-${version}.json` : `${kind}-${group}-${version}.json`;
  const spec = structuredClone(defs[title]);
  spec.$schema = 'http://json-schema.org/schema#';
  spec.type ??= 'object';
  spec.additionalProperties = false;
  const expanded = inline(spec, defs);
  expanded.properties = allowNull(replaceIntOrString(additionalProperties(expanded.properties)));
  writeFileSync(path.join(out, file), JSON.stringify(expanded, null, 2) + '\n');
}
console.error(`wrote ${readdirSync(out).length} schemas to ${path.relative(process.cwd(), out) || out}`);
