import type { Check } from '../check';
import { messageType, type MessageType } from '../finding';

export const WEIGHTS_NOT_100: MessageType = messageType('HI0001');

/**
 * Weights of a route with several destinations should add up to 100. Istio 1.30 accepts any sum (each destination
 * gets weight/sum of the traffic, and a destination without a weight gets none), but a split that does not add up
 * is almost always a mistake, and the project's routing API promises percentages.
 */
export const routeWeights: Check = {
  description: 'Destination weights of a split route add up to 100',
  messages: [WEIGHTS_NOT_100],
  run(mesh, report) {
    for (const vs of mesh.virtualServices) {
      for (const route of [...vs.http, ...vs.tcp, ...vs.tls]) {
        if (route.route.length < 2) continue;
        const sum = route.route.reduce((total, d) => total + (d.weight ?? 0), 0);
        if (sum === 100) continue;
        const weights = route.route
          .map((d) => `${d.host}${d.subset ? `/${d.subset}` : ''}=${d.weight ?? 0}`)
          .join(', ');
        report(WEIGHTS_NOT_100, vs.object, `destination weights add up to ${sum}, not 100 (${weights})`, [
          ...route.path,
          'route',
        ]);
      }
    }
  },
};
