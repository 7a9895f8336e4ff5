import yaml from 'js-yaml';

export type ConfigConversion =
  | { ok: true; json: string; value: unknown }
  | { ok: false; error: string; line: number; column: number };

/** Where and why a config cannot be converted; positions are 1-based (as editors count them). */
export interface ConfigProblem {
  message: string;
  line: number;
  column: number;
}

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
      return { ok: false, error: err.reason || err.message, line: (err.mark?.line ?? 0) + 1, column: (err.mark?.column ?? 0) + 1 };
    }
    throw err;
  }
  if (value === undefined || value === null) return { ok: true, json: '', value: null };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'the plugin config must be a mapping of keys to values (for example `mockEnable: true`)', line: 1, column: 1 };
  }
  return { ok: true, json: JSON.stringify(value), value };
}

/**
 * The check an editor runs as the config is typed: null when the server will take it (it converts
 * it with `yamlToConfigJson`), else what is wrong and where.
 */
export function checkConfigYaml(text: string): ConfigProblem | null {
  const conversion = yamlToConfigJson(text);
  return conversion.ok ? null : { message: conversion.error, line: conversion.line, column: conversion.column };
}

/**
 * Where in the YAML a config error points: the first key of the document that the message names
 * as a whole word (e.g. "invalid serviceName" -> the `serviceName:` line). Null when none is named.
 */
export function locateConfigError(yamlText: string, message: string): { line: number; column: number; key: string } | null {
  const lines = yamlText.split('\n');
  let best: { line: number; column: number; key: string; at: number } | null = null;
  lines.forEach((text, i) => {
    const m = /^(\s*(?:-\s+)?)([A-Za-z_][\w.-]*)\s*:/.exec(text);
    if (!m) return;
    const at = new RegExp(`(^|[^\\w])${m[2].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\w]|$)`).exec(message)?.index;
    if (at === undefined) return;
    if (!best || at < best.at) best = { line: i + 1, column: m[1].length + 1, key: m[2], at };
  });
  if (!best) return null;
  const { line, column, key } = best;
  return { line, column, key };
}
