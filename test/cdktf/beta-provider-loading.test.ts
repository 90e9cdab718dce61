import { synthesizeStacks } from '../helpers/terraform';
import { defaultEnvironment, testEnvironments } from '../helpers/environments';

// Whether the google-beta cluster module is loaded (by Node's require, in this file's own process: vitest.config.mts
// runs it isolated): it is large, and only the add-on needs it.
const betaClusterLoaded = () =>
  require.resolve('@cdktf/provider-google-beta/lib/google-container-cluster') in require.cache;

test('loads the google-beta cluster module only for an environment that uses the add-on', () => {
  synthesizeStacks([defaultEnvironment()]);
  expect(betaClusterLoaded()).toBe(false);
  synthesizeStacks(testEnvironments());
  expect(betaClusterLoaded()).toBe(true);
});
