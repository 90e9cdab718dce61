import { TRAFFIC_PRESET_NAMES, type TrafficPresetName } from '../../config';
import { testEnvironment } from '../helpers/environments';
import { objectsOf } from '../helpers/manifests';

const render = (preset: TrafficPresetName, dataplane: 'sidecar' | 'ambient') =>
  objectsOf(
    testEnvironment((e) => {
      e.mesh = { dataplane };
      e.traffic = { preset };
    }),
  );
const ofKinds = (objects: ReturnType<typeof render>, kinds: string[]) =>
  objects.filter((m) => kinds.includes(m.kind) && m.apiVersion.startsWith('networking.istio.io'));

describe.each(TRAFFIC_PRESET_NAMES.map((p) => [p]))('traffic preset %s on the ambient data plane', (preset) => {
  const ambient = render(preset, 'ambient');

  test('routes as the sidecar data plane does: the same VirtualServices and DestinationRules', () => {
    const sidecar = render(preset, 'sidecar');
    const kinds = ['VirtualService', 'DestinationRule', 'Gateway'];
    expect(ofKinds(ambient, kinds)).toEqual(ofKinds(sidecar, kinds));
  });

  test('every service a VirtualService routes in the mesh goes through its waypoint', () => {
    const waypoints = new Set(
      ambient.filter((m) => m.apiVersion.startsWith('gateway.networking.k8s.io')).map((m) => m.metadata.name),
    );
    const routed = ofKinds(ambient, ['VirtualService'])
      .filter((vs) => !(vs.spec as { gateways?: string[] }).gateways)
      .flatMap((vs) => (vs.spec as { hosts: string[] }).hosts);
    expect(routed.length).toBeGreaterThan(0);
    for (const host of routed) {
      const service = ambient.find((m) => m.kind === 'Service' && m.metadata.name === host)!;
      const waypoint = (service.metadata.labels as Record<string, string>)['istio.io/use-waypoint'];
      expect(waypoint).toBe(`${host}-waypoint`);
      expect(waypoints.has(waypoint!)).toBe(true);
    }
  });
});
