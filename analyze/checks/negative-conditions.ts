import { GATEWAY_API_GROUP } from '../../kube/gateway-api';
import { apiGroupOf, arr, rec, str } from '../../kube/object';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';

export const NEGATIVE_CONDITION: MessageType = messageType('IST0171');

const WAYPOINT_BOUND = { 'istio.io/WaypointBound': 'False' };
const GATEWAY_API = { Accepted: 'False', Programmed: 'False', ResolvedRefs: 'False' };
/** The conditions whose status is bad news, by `group/kind` (istioctl's conditions.ConditionAnalyzer). */
const NEGATIVE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '/Service': WAYPOINT_BOUND,
  'networking.istio.io/ServiceEntry': WAYPOINT_BOUND,
  'networking.istio.io/WorkloadEntry': WAYPOINT_BOUND,
  'security.istio.io/AuthorizationPolicy': { ZtunnelAccepted: 'False', WaypointAccepted: 'False' },
  [`${GATEWAY_API_GROUP}/Gateway`]: GATEWAY_API,
  [`${GATEWAY_API_GROUP}/HTTPRoute`]: GATEWAY_API,
  [`${GATEWAY_API_GROUP}/GRPCRoute`]: GATEWAY_API,
};

/**
 * Objects read from a cluster carry their status: a condition that says the object is not accepted, bound or
 * programmed is reported (istioctl's conditions.ConditionAnalyzer), and so is an AuthorizationPolicy that a waypoint
 * accepted only in part.
 */
export const negativeConditions: Check = {
  description: 'No status condition says an object is not accepted, bound or programmed',
  messages: [NEGATIVE_CONDITION],
  run(mesh, report) {
    for (const object of mesh.objects) {
      if (!object.named) continue;
      const key = `${apiGroupOf(object.ref.apiVersion)}/${object.ref.kind}`;
      const negative = NEGATIVE[key];
      if (!negative) continue;
      const status = rec(object.manifest.status);
      const conditions = key.endsWith('Route')
        ? arr(status.parents).flatMap((p) => arr(rec(p).conditions))
        : arr(status.conditions);
      for (const raw of conditions) {
        const c = rec(raw);
        const [type, reason, message] = [str(c.type) ?? '', str(c.reason) ?? '', str(c.message) ?? ''];
        const partial =
          key === 'security.istio.io/AuthorizationPolicy' &&
          type === 'WaypointAccepted' &&
          reason === 'PartiallyInvalid';
        if (negative[type] === c.status || partial)
          report(NEGATIVE_CONDITION, object, formatMessage(NEGATIVE_CONDITION, type, reason, message), ['status']);
      }
    }
  },
};
