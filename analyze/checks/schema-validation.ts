import { isKnownApiGroup, validateObject } from '../../validate/schema-validator';
import type { Check } from '../check';
import { messageType, type MessageType } from '../finding';

export const SCHEMA_VALIDATION_ERROR: MessageType = messageType('IST0106');

export const UNKNOWN_KIND: MessageType = messageType('HI0006');

export const UNVALIDATED_KIND: MessageType = messageType('HI0007');

/**
 * Every object against the schema of its apiVersion and kind (Kubernetes 1.33 OpenAPI, the CRDs of the release
 * the mesh runs: 1.29.6, 1.30.3 or 1.31.0),
 * strictly: unknown fields, wrong types, missing required fields and values outside an enum are errors.
 */
export const schemaValidation: Check = {
  description:
    "Every object against the Kubernetes 1.33 or its Istio release's schema of its kind, unknown fields included",
  messages: [SCHEMA_VALIDATION_ERROR, UNKNOWN_KIND, UNVALIDATED_KIND],
  run(mesh, report) {
    for (const object of mesh.objects) {
      const { apiVersion, kind } = object.manifest;
      if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
        const missing = typeof apiVersion !== 'string' ? 'apiVersion' : 'kind';
        report(SCHEMA_VALIDATION_ERROR, object, 'is required (a string): without it the object has no schema', [
          missing,
        ]);
        continue;
      }
      const verdict = validateObject(object.manifest, mesh.istioMinor);
      if (verdict.known) {
        for (const violation of verdict.violations)
          report(SCHEMA_VALIDATION_ERROR, object, violation.message, violation.path);
      } else if (isKnownApiGroup(apiVersion)) {
        report(UNKNOWN_KIND, object, `${apiVersion} has no kind ${kind}: no such kind or version in this API group`, [
          'kind',
        ]);
      } else {
        report(UNVALIDATED_KIND, object, `no schema for ${apiVersion} ${kind}: the object is not validated`);
      }
    }
  },
};
