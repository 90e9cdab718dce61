import { mergeConfig } from 'vitest/config';
import base from './vitest.config.mts';
export default mergeConfig(base, { test: { execArgv: ['--max-semi-space-size=32'] } });
