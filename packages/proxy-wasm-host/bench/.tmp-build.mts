import { buildPlugin } from '../test/support/build-plugin.js';
const t = Date.now(); const b = await buildPlugin('clock'); console.log(b.length, Date.now() - t);
