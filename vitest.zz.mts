import { mergeConfig } from 'vitest/config';
import config from './vitest.config.mts';
export default mergeConfig(config, { test: { execArgv: ['--cpu-prof', '--cpu-prof-dir=/work/prof'] } });
