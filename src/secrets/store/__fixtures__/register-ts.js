// Passed as `node --import <this file>` to child processes that import TypeScript sources.

import { register } from 'node:module';

register('./ts-hooks.js', import.meta.url);
