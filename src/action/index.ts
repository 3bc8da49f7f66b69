import { coreIO } from './io.js';
import { run } from './main.js';

await run({ env: process.env, io: coreIO() });
