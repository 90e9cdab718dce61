import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, Testing } from 'cdktf';
import { GkeStack } from '../../cdktf/gke-stack';
import { defaultEnvironment } from '../helpers/environments';

function synthStack(env = defaultEnvironment()) {
  const app = Testing.app();
  const stack = new GkeStack(app as App, 'default-gke', { env });
  return { json: Testing.synth(stack), parsed: JSON.parse(Testing.synth(stack)) };
}

describe('the default gke stack', () => {
  const { json, parsed } = synthStack();

  test('snapshot', () => {
    expect(parsed).toMatchSnapshot();
  });

  test('creates the tutorial cluster', () => {
    expect(json).toHaveResourceWithProperties(ContainerCluster, {
      name: 'hello-istio',
      location: 'us-central1-f',
      initial_node_count: 4,
      deletion_protection: true,
    });
  });

  test('configures the provider for the project and the region of the zone', () => {
    expect(json).toHaveProviderWithProperties(GoogleProvider, { project: 'your-gcp-project-id', region: 'us-central1' });
  });

  test('declares a relative local backend outside dist/, so output is the same on every machine', () => {
    const { path } = parsed.terraform.backend.local;
    expect(path).toBe('../../../../terraform.tfstate.d/default-gke.tfstate');
    expect(json).not.toContain(process.cwd());
  });
});
