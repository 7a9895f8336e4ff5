import { z } from 'zod';
import { Diagnostic } from './build.js';

/** A configuration key a plugin reads, found in its source (`json.Get("a.b").Int()`). */
export const ConfigKey = z.object({
  path: z.string(),
  accessor: z.string().optional(),
  /** The JSON type the accessor expects: boolean, integer, number, string, array, object or any. */
  type: z.string(),
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
});
export type ConfigKey = z.infer<typeof ConfigKey>;

/** POST /api/analyze: what the source says about the plugin, without building it. */
export const Analysis = z.object({
  configKeys: z.array(ConfigKey),
  /** Messages the config parser can fail with. */
  configErrors: z.array(z.object({ message: z.string(), file: z.string(), line: z.number().int() })),
  /** proxy-wasm lints as warnings, with quick fixes. */
  diagnostics: z.array(Diagnostic),
  /** A JSON Schema for config.yaml derived from the keys (plus Higress `_rules_`). */
  schema: z.record(z.string(), z.unknown()),
});
export type Analysis = z.infer<typeof Analysis>;

type Schema = { type?: string; description?: string; properties?: Record<string, Schema>; items?: Schema; additionalProperties?: boolean };

const JSON_TYPES: Record<string, string | undefined> = {
  boolean: 'boolean', integer: 'integer', number: 'number', string: 'string', array: 'array', object: 'object',
};

const MATCH_KEYS: Record<string, Schema> = {
  _match_route_: { type: 'array', items: { type: 'string' }, description: 'route names this rule applies to' },
  _match_domain_: { type: 'array', items: { type: 'string' }, description: 'domains (exact, *.suffix or prefix*)' },
  _match_service_: { type: 'array', items: { type: 'string' }, description: 'services: fqdn or fqdn:port' },
  _match_route_prefix_: { type: 'array', items: { type: 'string' }, description: 'route name prefixes' },
};

/**
 * The JSON Schema of a plugin's config from the keys its source reads: each key documented with
 * where it is read and the type its gjson accessor expects; unknown keys are flagged when the
 * plugin's reads were all found (gjson wildcards or no keys at all leave the config open).
 */
export function configSchema(keys: ConfigKey[]): Schema {
  const root: Schema = { type: 'object', properties: {}, additionalProperties: keys.length === 0 };
  for (const key of keys) {
    const segments = key.path.split('.');
    if (segments.some((s) => /[*?#|@]/.test(s) || s === '')) {
      root.additionalProperties = true;
      continue;
    }
    let node = root;
    segments.forEach((segment, i) => {
      if (/^\d+$/.test(segment)) {
        node.type = 'array';
        node.items ??= { type: 'object', properties: {}, additionalProperties: false };
        node = node.items;
        return;
      }
      node.properties ??= {};
      const last = i === segments.length - 1;
      const existing = node.properties[segment];
      const child: Schema = existing ?? (last ? {} : { type: 'object', properties: {}, additionalProperties: false });
      if (last) {
        const type = JSON_TYPES[key.type];
        if (type && !child.properties) child.type = type;
        child.description = `read by ${key.file}:${key.line}${key.accessor ? ` as .${key.accessor}()` : ''}`;
      }
      node.properties[segment] = child;
      node = child;
    });
  }
  const ruleProps = { ...root.properties, ...MATCH_KEYS };
  root.properties = {
    ...root.properties,
    _rules_: {
      type: 'array',
      description: 'Higress rules: the first whose _match_* keys match a request overrides the global config',
      items: { type: 'object', properties: ruleProps, additionalProperties: root.additionalProperties },
    },
  };
  return root;
}
