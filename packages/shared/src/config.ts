import yaml from 'js-yaml';

export type ConfigConversion =
  | { ok: true; json: string; value: unknown }
  | { ok: false; error: string; line: number; column: number };

/**
 * Turns the plugin's YAML config into the JSON the gateway hands to the plugin, as the Higress
 * console does. An empty document means no configuration (empty JSON string). Positions are
 * 1-based.
 */
export function yamlToConfigJson(text: string): ConfigConversion {
  let value: unknown;
  try {
    value = yaml.load(text);
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      return { ok: false, error: err.reason || err.message, line: err.mark.line + 1, column: err.mark.column + 1 };
    }
    throw err;
  }
  if (value === undefined || value === null) return { ok: true, json: '', value: null };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'the plugin config must be a mapping of keys to values (for example `mockEnable: true`)', line: 1, column: 1 };
  }
  return { ok: true, json: JSON.stringify(value), value };
}
