import type { EnvironmentInput } from '../../config';
import { testEnvironmentInput } from './environments';

/**
 * The README's upgrade walkthrough, 1.29 to 1.30 by canary, as environments the tests own: where it starts, then the
 * environment after each of its three pull requests.
 */
const at = (istio: EnvironmentInput['istio']): EnvironmentInput =>
  testEnvironmentInput((e) => {
    e.name = 'shop';
    e.cluster = { ...e.cluster, name: 'shop', releaseChannel: 'STABLE' };
    e.istio = istio;
  });

export const UPGRADE_WALKTHROUGH: readonly { readonly title: string; readonly environment: EnvironmentInput }[] = [
  {
    title: 'Before: Istio 1.29.6 as revision 1-29-6, the namespace on the tag stable',
    environment: at({ revisions: [{ name: '1-29-6', version: '1.29.6' }], tags: { stable: '1-29-6' }, tag: 'stable' }),
  },
  {
    title: 'Pull request 1: install the canary',
    environment: at({
      revisions: [
        { name: '1-29-6', version: '1.29.6' },
        { name: '1-30-5', version: '1.30.5' },
      ],
      tags: { stable: '1-29-6', canary: '1-30-5' },
      tag: 'stable',
    }),
  },
  {
    title: 'Pull request 2: move the tag stable to the canary',
    environment: at({
      revisions: [
        { name: '1-29-6', version: '1.29.6' },
        { name: '1-30-5', version: '1.30.5' },
      ],
      tags: { stable: '1-30-5', canary: '1-30-5' },
      tag: 'stable',
    }),
  },
  {
    title: 'Pull request 3: remove the old revision',
    environment: at({
      revisions: [{ name: '1-30-5', version: '1.30.5' }],
      tags: { stable: '1-30-5', canary: '1-30-5' },
      tag: 'stable',
    }),
  },
];
