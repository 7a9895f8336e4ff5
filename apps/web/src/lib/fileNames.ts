// Rules for the names of the user's files.
export const MAIN_FILE = 'main.go';
export const CONFIG_FILE = 'config.yaml';

/** Returns why a name is not allowed for an extra Go file, or null when it is fine. */
export function checkGoFileName(name: string, existing: string[]): string | null {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*\.go$/.test(name)) return 'Use a plain file name ending in .go, like util.go';
  if (name.endsWith('_test.go')) return 'Test files (_test.go) are not built into the plugin';
  if (name === CONFIG_FILE || existing.includes(name)) return `A file named ${name} already exists`;
  return null;
}

export function languageOf(name: string): 'go' | 'yaml' {
  return name.endsWith('.go') ? 'go' : 'yaml';
}
