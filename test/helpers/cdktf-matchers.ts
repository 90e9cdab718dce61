// cdktf's matchers (toHaveResourceWithProperties, toHaveProviderWithProperties, ...), for the test files that import
// this: loading cdktf in every test file would cost each of them its load time. cdktf ships them for jest, through
// the global `expect`, whose API vitest's is; their types are declared here for vitest's assertions.
import { Testing } from 'cdktf';
import type { TerraformConstructor } from 'cdktf/lib/testing/matchers';

declare module 'vitest' {
  interface Matchers<T = any> {
    toHaveResourceWithProperties(resource: TerraformConstructor, properties: Record<string, unknown>): T;
    toHaveProviderWithProperties(provider: TerraformConstructor, properties: Record<string, unknown>): T;
  }
}

Testing.setupJest();
