// The workspace's lint config, plus the globals the e2e tests and the bench use:
// Node's, and the browser's inside the callbacks they run in the page (page.evaluate).
import workspace from '../../eslint.config.js';

const readonly = (names) => Object.fromEntries(names.map((n) => [n, 'readonly']));

export default [
  ...workspace,
  {
    files: ['e2e/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: {
      globals: readonly([
        'process', 'console', 'Buffer', 'URL', 'fetch', 'atob', 'setTimeout', 'clearTimeout',
        'window', 'document', 'DataTransfer', 'DragEvent', 'File', 'MutationObserver',
      ]),
    },
  },
];
